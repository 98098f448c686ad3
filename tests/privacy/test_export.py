"""GET /api/v1/me/export: everything held about the caller, and nothing about anyone else."""

from __future__ import annotations

import json

from blog.services import privacy
from tests.helpers import assert_problem


def export_of(client) -> dict:
    response = client.get("/api/v1/me/export")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "no-store" in response.headers["Cache-Control"]
    return response.get_json()


def test_the_export_holds_every_kind_of_row_the_reader_left(footprint, reader_client):
    export = export_of(reader_client)
    reader = footprint.user
    assert export["account"] == {
        "id": reader.id, "email": reader.email, "display_name": reader.display_name,
        "role": "reader", "created_at": export["account"]["created_at"],
        "avatar_url": None, "external_issuer": None, "external_subject": None,
    }
    assert not {"text_key", "idempotency_key"} & set(export["comments"][0])
    bodies = {row["body"] for row in export["comments"]}
    assert {"It was built in 1952.", "Nobody answers this one.", "Held for review."} <= bodies
    assert {(v["comment_id"], v["value"]) for v in export["votes"]} == {
        (footprint.others.id, 1), (footprint.others_reply.id, -1)}
    assert [(f["comment_id"], f["reason"], f["note"]) for f in export["flags"]] == [
        (footprint.others.id, "off_topic", "Not about the wall.")]
    assert len(export["follows"]) == 2  # the post and the author; not the reader's follower
    assert {n["kind"] for n in export["notifications"]} >= {"reply", "comment"}
    assert [p["email"] for p in export["preferences"]] == ["daily"]
    assert [t["name"] for t in export["tokens"]] == ["my script"]
    assert export["bans"] == []  # lifted
    assert {row["action"] for row in export["moderation_log"]} >= {"ban", "unban", "reject"}
    assert [(s["email"], s["tags"]) for s in export["subscriptions"]] == [
        (reader.email, ["Harbour"])]
    assert {m["kind"] for m in export["emails"]} >= {"confirm"}


def test_the_export_holds_no_secret_and_nothing_of_other_users(footprint, reader_client,
                                                               other_reader):
    text = json.dumps(export_of(reader_client))
    assert "password" not in text and "token_hash" not in text and "argon2" not in text
    assert footprint.user.password_hash not in text
    assert other_reader.email not in text
    assert "A reply that notifies the reader." not in text  # the other reader's comment


def test_a_reader_with_no_activity_gets_empty_sections(other_reader_client):
    export = export_of(other_reader_client)
    assert export["comments"] == [] and export["votes"] == [] and export["other"] == {}


def test_the_export_needs_a_signed_in_caller(client):
    assert_problem(client.get("/api/v1/me/export"), 401)


def test_every_column_naming_a_user_has_a_rule_and_every_override_names_a_column(app):
    found = {column.name: column for column in privacy.user_columns()}
    assert set(privacy.OVERRIDES) <= set(found)
    # Spot checks of the rules read from the foreign keys.
    assert found["follows.user_id"].erase == privacy.Erase.DELETE and found[
        "follows.user_id"].export
    assert found["notifications.actor_id"].erase == privacy.Erase.NULL
    assert not found["notifications.actor_id"].export
    assert found["moderation_log.moderator_id"].erase == privacy.Erase.NULL
    assert found["bans.moderator_id"].erase == privacy.Erase.NULL


def test_the_openapi_document_describes_the_export(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    schema = spec["components"]["schemas"]["Export"]
    assert {"account", "comments", "votes", "flags", "follows", "notifications",
            "subscriptions", "tokens", "moderation_log", "bans"} <= set(schema["properties"])
    assert "delete" in spec["paths"]["/api/v1/me"]
