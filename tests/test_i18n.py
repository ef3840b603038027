"""Both languages carry the same keys; the English catalogue is used on request."""

from hotline_tui import i18n


def test_same_keys():
    cats = i18n.catalogs()
    assert set(cats["zh"]) == set(cats["en"]), set(cats["zh"]) ^ set(cats["en"])


def test_switch_language():
    i18n.set_lang("en")
    try:
        assert i18n.t("status.new") == "New"
    finally:
        i18n.set_lang("zh")
    assert i18n.t("status.new") == "待分拣"
