"""``Idempotency-Key`` for the API's POSTs (issue #21): a retried request gets the first answer."""
