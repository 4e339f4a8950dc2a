"""Every page of the whole register has a path of its own: no kommun's or förbund's page can
take the place of another's."""

from __future__ import annotations

from finsam.inputs.reference import forbund_members, kommuner
from finsam.pipeline.matrix import Run


def test_every_kommun_and_forbund_of_the_register_has_its_own_page_path():
    members = forbund_members()
    forbund_of = dict(zip(members["kommunkod"], members["forbund"], strict=False))
    table = kommuner()
    kommun_pages = [
        Run("kommun", 2021, forbund_of.get(code, ""), code, name).page
        for code, name in zip(table["kommunkod"], table["kommun"], strict=True)
    ]
    assert len(kommun_pages) == 290 and len(set(kommun_pages)) == 290
    names = sorted(set(members["forbund"]))
    for kind in ("forbund", "ekonomi", "mal"):
        pages = {Run(kind, 2021, name).page for name in names}
        assert len(pages) == len(names) == 76, kind


def test_kommuner_whose_names_share_a_slug_get_their_code():
    assert Run("kommun", 2021, "", "0305", "Håbo").page == "kommun/2021/habo-0305"
    assert Run("kommun", 2021, "", "0643", "Habo").page == "kommun/2021/habo-0643"
    assert Run("kommun", 2022, "", "1481", "Mölndal").page == "kommun/2022/molndal"  # as before
