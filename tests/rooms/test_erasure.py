"""The pure rules of erasure: how a profile is redacted and which groups are kept."""

from __future__ import annotations

from rooms.erasure import (
    ERASED_NAME,
    K_ANONYMITY,
    Kept,
    Profile,
    kept_groups,
    profiles,
    redacted,
    rewrites,
)

ZY = {"id": "p1", "name": "Zyxwæ", "organization": "Org", "sector": "rescue_emergency",
      "country": "LT", "attendance": "onsite", "about": "Sirens"}


def test_a_profile_loses_name_organization_and_about() -> None:
    """The name becomes "a participant"; organization and about are emptied; id stays."""
    out = redacted(ZY, Kept(True, True))
    assert out == {**ZY, "name": ERASED_NAME, "organization": "", "about": ""}


def test_small_groups_are_withheld() -> None:
    """A sector or country shared by fewer than k members is not kept."""
    everyone = [Profile("p1", "rescue_emergency", "LT")] + [
        Profile(f"q{i}", "rescue_emergency", "SE") for i in range(K_ANONYMITY - 1)]
    kept = kept_groups({"p1"}, everyone)
    assert kept == {"p1": Kept(sector=True, country=False)}
    assert redacted(ZY, kept["p1"])["country"] == ""
    assert redacted(ZY, kept["p1"])["sector"] == "rescue_emergency"


def test_an_unknown_member_keeps_nothing() -> None:
    """Someone absent from the profiles has neither sector nor country kept."""
    assert kept_groups({"nobody"}, []) == {"nobody": Kept(False, False)}


def test_only_profile_events_of_erased_members_are_rewritten() -> None:
    """Other people's profiles and other events stay; erasing twice changes nothing more."""
    events = [(1, "member.joined", ZY), (2, "member.joined", {**ZY, "id": "p2"}),
              (3, "idea.added", {"id": "p1", "text": "x"})]
    kept = {"p1": Kept(False, False)}
    new = rewrites(events, kept)
    assert list(new) == [1]
    assert rewrites([(1, "member.joined", new[1])], kept) == new


def test_profiles_take_each_members_latest_event() -> None:
    """A member who joined twice counts once, with their latest sector and country."""
    seen = [("member.joined", ZY), ("member.joined", {**ZY, "country": "EE"}),
            ("idea.added", {"id": "i3"})]
    assert profiles(seen) == [Profile("p1", "rescue_emergency", "EE")]
