"""The text rules: word lists on word boundaries, links and their domains, repeats."""

from __future__ import annotations

import pytest

from blog.services.moderation_rules import blocked_hosts, find_links, matching_words, same_text


@pytest.mark.parametrize(("text", "words", "expected"), [
    ("What a first-class article", ["ass"], []),
    ("You ass.", ["ass"], ["ass"]),
    ("ASS!", ["ass"], ["ass"]),
    ("Buy cheap CAFÉ pods", ["cafe"], ["cafe"]),
    ("Buy cheap cafe pods", ["café"], ["cafe"]),
    ("Free money here", ["free money"], ["free money"]),
    ("Free  moneyhere", ["free money"], []),
    ("Classic", ["class"], []),
    ("", ["ass"], []),
    ("anything", [], []),
])
def test_words_match_whole_words_ignoring_case_and_accents(text, words, expected):
    assert matching_words(text, words) == expected


@pytest.mark.parametrize(("body", "html", "hosts"), [
    ("no links here. Really.", "", []),
    ("see https://example.org/a and http://Sub.Example.com/b", "",
     ["example.org", "sub.example.com"]),
    ("go to www.cheap-pills.ru now", "", ["www.cheap-pills.ru"]),
    ("bare domain casino.xyz works too", "", ["casino.xyz"]),
    ("text", '<a href="https://one.test/">x</a><a href="https://two.test/">y</a>',
     ["one.test", "two.test"]),
])
def test_links_are_found_in_text_and_html(body, html, hosts):
    assert find_links(body, html) == hosts


def test_blocked_domains_match_the_domain_and_its_subdomains_only():
    hosts = ["spam.example", "www.spam.example", "notspam.example", "example"]
    assert blocked_hosts(hosts, ["spam.example"]) == ["spam.example", "www.spam.example"]


def test_same_text_ignores_case_accents_and_spacing():
    assert same_text("Great  article, thanks!", "great article, THANKS!")
    assert same_text("Très bien", "tres bien")
    assert not same_text("Great article", "Great article!")
