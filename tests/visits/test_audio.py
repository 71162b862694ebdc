"""Recordings of an interview (访谈录音): sniffed by content, an audio size limit
(``VISITS_AUDIO_MAX_BYTES``), served only to those who see the interview, none after sign-off."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.exceptions import InvalidInput
from casework.services import attachments as case_attachments
from visits import services
from visits.models import InterviewAttachment

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

MP3_ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 200
MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 200
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00" + b"\x00" * 200
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 200
OGG = b"OggS\x00\x02" + b"\x00" * 200
AMR = b"#!AMR\n" + b"\x00" * 200


@pytest.fixture(autouse=True)
def _root(settings, tmp_path):
    settings.CASEWORK_ATTACHMENT_ROOT = tmp_path


def _up(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [("a.mp3", MP3_ID3, "audio/mpeg"), ("b.mp3", MP3_FRAME, "audio/mpeg"), ("c.m4a", M4A, "audio/mp4"),
     ("d.wav", WAV, "audio/wav"), ("e.ogg", OGG, "audio/ogg"), ("f.amr", AMR, "audio/amr")],
)  # fmt: skip
def test_recordings_attach_to_an_interview_by_their_content(users, make_interview, name, data, content_type):
    interview = make_interview()
    (saved,) = services.interview_attach(actor=users["officer_union"], interview=interview, files=[_up(name, data)])
    assert saved.content_type == content_type


def test_the_type_comes_from_the_content_not_the_name(users, make_interview):
    interview = make_interview()
    # an executable named like a recording
    with pytest.raises(InvalidInput) as exc:
        services.interview_attach(
            actor=users["officer_union"], interview=interview, files=[_up("录音.mp3", b"MZ" * 100, "audio/mpeg")]
        )
    assert "不是允许的文件类型" in exc.value.fields["attachments"][0] and "录音" in exc.value.fields["attachments"][0]
    # a recording named like a photo is stored as what it is
    (saved,) = services.interview_attach(actor=users["officer_union"], interview=interview, files=[_up("x.jpg", WAV)])
    assert saved.content_type == "audio/wav" and saved.name == "x.wav"
    assert InterviewAttachment.objects.filter(interview=interview).count() == 1


def test_cases_and_visits_still_refuse_audio(users, make_visit):
    with pytest.raises(InvalidInput):
        case_attachments.check_files([_up("a.mp3", MP3_ID3)])
    visit = make_visit()
    with pytest.raises(InvalidInput):
        services.visit_attach(actor=users["officer_union"], visit=visit, files=[_up("a.mp3", MP3_ID3)])


def test_too_large_a_recording_is_refused_with_the_limit(users, make_interview, settings, tmp_path):
    settings.VISITS_AUDIO_MAX_BYTES = 1024 * 1024
    interview = make_interview()
    big = _up("长录音.mp3", MP3_ID3 + b"\x00" * (1024 * 1024))
    ok = _up("ok.wav", WAV)
    with pytest.raises(InvalidInput) as exc:
        services.interview_attach(actor=users["officer_union"], interview=interview, files=[ok, big])
    assert "超过单个附件 1 MB 的上限" in exc.value.fields["attachments"][0]
    assert not InterviewAttachment.objects.exists()  # nothing half written
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
    # the audio limit is the recordings' own: a large recording under it passes, images keep 10 MB
    settings.VISITS_AUDIO_MAX_BYTES = 20 * 1024 * 1024
    (saved,) = services.interview_attach(
        actor=users["officer_union"],
        interview=interview,
        files=[_up("长录音.mp3", MP3_ID3 + b"\x00" * (11 * 1024 * 1024))],
    )
    assert saved.size > case_attachments.MAX_FILE_SIZE
    with pytest.raises(InvalidInput) as exc:
        services.interview_attach(
            actor=users["officer_union"], interview=interview,
            files=[_up("p.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (11 * 1024 * 1024))],
        )  # fmt: skip
    assert "10 MB" in exc.value.fields["attachments"][0]


def test_no_recording_after_sign_off_and_served_only_to_those_who_see_it(client, users, make_interview):
    interview = make_interview()
    (saved,) = services.interview_attach(actor=users["officer_union"], interview=interview, files=[_up("a.m4a", M4A)])
    services.interview_sign_off(actor=users["leader"], interview=interview)
    with pytest.raises(InvalidInput) as exc:
        services.interview_attach(actor=users["officer_union"], interview=interview, files=[_up("b.ogg", OGG)])
    assert "签字" in str(exc.value.message)
    assert interview.attachments.count() == 1

    url = reverse("visits:interview_attachment", args=[interview.pk, saved.pk])
    assert client.login(username="desk", password=PASSWORD)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "audio/mp4"
    assert response["Cache-Control"] == "private, no-store"
    page = client.get(reverse("visits:interview", args=[interview.pk])).content.decode()
    assert f'<audio controls preload="none" src="{url}"' in page
    assert 'action="{}"'.format(reverse("visits:interview_attach", args=[interview.pk])) not in page  # read-only
    # the page's upload refuses too, in Chinese
    response = client.post(reverse("visits:interview_attach", args=[interview.pk]), {"attachments": _up("c.wav", WAV)})
    assert response.status_code == 302 and interview.attachments.count() == 1
    client.logout()
    for other in ("officer_elsewhere", "desk_2"):
        assert client.login(username=other, password=PASSWORD)
        assert client.get(url).status_code == 404
        client.logout()


def test_the_page_uploads_a_recording(client, users, make_interview):
    interview = make_interview()
    assert client.login(username="officer_union", password=PASSWORD)
    page = client.get(reverse("visits:interview", args=[interview.pk])).content.decode()
    assert "audio/*" in page
    url = reverse("visits:interview_attach", args=[interview.pk])
    response = client.post(url, {"attachments": _up("r.mp3", MP3_FRAME)}, follow=True)
    assert "已上传 1 个附件" in response.content.decode()
    assert interview.attachments.get().content_type == "audio/mpeg"
