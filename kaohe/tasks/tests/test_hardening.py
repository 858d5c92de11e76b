"""Attacks from the independent probe (issue 11) on task uploads: never a 500."""

import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from kaohe.tasks.models import FileVersion

from .conftest import docx_bytes, upload, zip_bytes

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def bad_crc(data: bytes, needle: bytes) -> bytes:
    """A stored (uncompressed) zip whose member `needle` no longer matches its CRC."""
    at = data.index(needle)
    return data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :]


def corrupt_deflate(data: bytes) -> bytes:
    """A deflated zip whose first member's compressed stream is garbage (zlib.error)."""
    import struct

    start = 30 + sum(struct.unpack("<HH", data[26:30]))
    return data[:start] + b"\xff" * 8 + data[start + 8 :]


@pytest.mark.parametrize("replace", ["abc", "1e3", "٣", "9" * 400, "-1"])
def test_upload_with_non_integer_replace_is_refused(world, replace):
    url = reverse("tasks:upload", args=[world.task().pk])
    response = client_for(world.user_a).post(
        url, {"replace": replace, "files": [upload("替换.pdf")]}
    )
    assert response.status_code == 404
    assert not FileVersion.objects.exists()


@pytest.mark.parametrize(
    "name,data",
    [
        (
            "坏.zip",
            bad_crc(
                zip_bytes({"材料.pdf": b"%PDF-1.4 " + b"x" * 100}, zipfile.ZIP_STORED), b"xxxx"
            ),
        ),
        (
            "坏.docx",
            bad_crc(
                zip_bytes(
                    {
                        "[Content_Types].xml": b"<Types>wordprocessingml</Types>",
                        "word/document.xml": b"<w:document/>",
                    },
                    zipfile.ZIP_STORED,
                ),
                b"wordprocessingml",
            ),
        ),
        ("坏流.zip", corrupt_deflate(zip_bytes({"材料.pdf": b"%PDF-1.4 " + b"abc" * 2000}))),
    ],
)
def test_bad_crc_zip_and_docx_are_refused_not_500(world, name, data):
    url = reverse("tasks:upload", args=[world.task().pk])
    response = client_for(world.user_a).post(url, {"files": [upload(name, data)]}, follow=True)
    assert response.status_code == 200 and "损坏" in response.text
    assert not FileVersion.objects.exists()
    good = client_for(world.user_a).post(url, {"files": [upload("好.docx", docx_bytes())]})
    assert good.status_code == 302 and FileVersion.objects.count() == 1


def test_team_reads_only_the_materials_of_its_assigned_subjects(world):
    """The probe: a team member read /tasks/1/ and its files for a unit outside its team."""
    from kaohe.tasks import services

    mine = services.material_upload(task=world.task(), upload=upload("甲.pdf"), actor=world.user_a)
    theirs = services.material_upload(
        task=world.task(unit=world.unit_b), upload=upload("乙.pdf"), actor=world.user_b
    )
    team = client_for(world.team)
    assert team.get(reverse("tasks:detail", args=[world.task().pk])).status_code == 200
    assert team.get(reverse("tasks:download", args=[mine.pk])).status_code == 200
    other_task = world.task(unit=world.unit_b)
    assert team.get(reverse("tasks:detail", args=[other_task.pk])).status_code == 404
    assert team.get(reverse("tasks:download", args=[theirs.pk])).status_code == 404
