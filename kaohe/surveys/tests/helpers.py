"""Answering a survey through its public link, as a phone would."""

import re

from django.test import Client

ADDRESS = "203.0.113.77"


def respondent() -> Client:
    return Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT="Mozilla/5.0 (iPhone) KaoheTest/1.0")


def page(client, target, **params):
    return client.get(f"/s/{target.token}/", params)


def idem_of(response) -> str:
    found = re.search(r'name="idem" value="([^"]+)"', response.content.decode())
    return found.group(1) if found else "no-form-on-this-page"


def answers(setup, rating="满意", single="开办", text=""):
    data = {
        f"q{setup.rating.pk}": setup.rating.choices.get(label=rating).pk,
        f"q{setup.single.pk}": setup.single.choices.get(label=single).pk,
    }
    if text:
        data[f"q{setup.text.pk}"] = text
    return data


def submit(client, setup, target=None, data=None, **extra):
    target = target or setup.target
    first = page(client, target, **({"code": extra["code"]} if "code" in extra else {}))
    payload = {"idem": extra.get("idem") or idem_of(first)}
    payload.update(data if data is not None else answers(setup))
    if "code" in extra:
        payload["code"] = extra["code"]
    return client.post(f"/s/{target.token}/", payload), payload
