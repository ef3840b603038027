"""The triage form: lead unit (with why it was suggested), assisting units, request type,
urgent flag and the difficulty tiers with their keys. Holds no database: the screen gives
it a `FormState` and the keys as bound now."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from hotline_tui.i18n import t
from hotline_tui.tui.text import column_text
from hotline_tui.tui.widgets.unit_picker import UnitPicker

if TYPE_CHECKING:
    from hotline_tui.services.triage import Tier
    from hotline_tui.services.units import UnitInfo


@dataclass
class FormState:
    """What confirm will write. None means "keep what the order has" (bulk mode) or, for
    the unit and the tier, "not chosen yet"."""

    unit: UnitInfo | None = None
    reason: str = ""  # why the unit was pre-selected ("" when the clerk picked it)
    assists: list[UnitInfo] = field(default_factory=list)
    request_type: str | None = None
    urgent: bool | None = None
    tier_days: int | None = None
    bulk: bool = False


def tier_keys(tiers: Sequence[Tier]) -> dict[int, str]:
    """A default key per tier: its day count when that is one digit (0, 3, 5), else its
    first digit (15 -> 1), else the first free digit."""
    keys: dict[int, str] = {}
    taken: set[str] = set()
    for tier in tiers:
        text = str(tier.days)
        wanted = [text] if len(text) == 1 else [text[0], text[-1]]
        wanted += [d for d in "1234567890" if d not in wanted]
        key = next((k for k in wanted if k not in taken), None)
        if key is None:
            continue  # more than ten tiers: the rest are reached through the palette
        keys[tier.days] = key
        taken.add(key)
    return keys


class TriageFormPanel(Vertical):
    """The right-hand panel of the triage screen."""

    def __init__(self, engine: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.engine = engine

    def compose(self) -> ComposeResult:
        yield Static("", id="form-title")
        yield Static("", id="form-lead")
        picker = UnitPicker(self.engine, id="unit-picker")
        picker.display = False
        yield picker
        yield Static("", id="form-fields")
        yield Static("", id="form-tiers")
        yield Static("", id="form-hint")

    @property
    def picker(self) -> UnitPicker:
        return self.query_one("#unit-picker", UnitPicker)

    def show(self, state: FormState, tiers: Sequence[Tier], keys: Mapping[str, str],
             enabled: bool = True, title: str = "") -> None:
        """Render `state`; `keys` maps binding ids to the key shown (after rebinds)."""
        def k(binding_id: str) -> str:
            key = keys.get(binding_id, "")
            return f"  [{key}]" if key else ""

        self.query_one("#form-title", Static).update(Text(title, style="bold"))
        lead = Text()
        lead.append(t("triage_screen.lead") + "  ", style="bold")
        if state.unit is not None:
            lead.append(column_text(state.unit.name), style="bold reverse")
        else:
            lead.append(t("triage_screen.lead_none"), style="italic")
        lead.append(k("triage.unit"), style="dim")
        if state.reason:
            lead.append("\n" + column_text(state.reason), style="dim italic")
        self.query_one("#form-lead", Static).update(lead)

        keep = t("triage_screen.keep")
        table = Table(box=None, show_header=False, pad_edge=False, expand=True)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        table.add_column(style="dim", no_wrap=True)
        assists = "、".join(column_text(u.label) for u in state.assists)
        table.add_row(Text(t("triage_screen.assist")),
                      Text(assists or (keep if state.bulk else "-")), Text(k("triage.assist")))
        rtype = state.request_type or (keep if state.bulk else t("triage_screen.type_none"))
        table.add_row(Text(t("triage_screen.type")), Text(rtype), Text(k("triage.type")))
        if state.urgent is None:
            urgent = keep if state.bulk else t("detail.no")
        else:
            urgent = t("detail.yes") if state.urgent else t("detail.no")
        table.add_row(Text(t("triage_screen.urgent")),
                      Text(urgent, style="bold red" if state.urgent else ""),
                      Text(k("triage.urgent")))
        self.query_one("#form-fields", Static).update(table)

        chips = Text()
        chips.append(t("triage_screen.tier") + "  ", style="bold")
        for tier in tiers:
            key = keys.get(f"triage.tier_{tier.days}", "")
            label = f" {key} {tier.name} " if key else f" {tier.name} "
            chosen = state.tier_days == tier.days
            chips.append(label, style="bold reverse" if chosen else "")
            chips.append(" ")
        self.query_one("#form-tiers", Static).update(chips)

        confirm = keys.get("triage.confirm", "enter")
        hint = "triage_screen.hint_bulk" if state.bulk else "triage_screen.hint"
        self.query_one("#form-hint", Static).update(
            Text(t(hint, confirm=confirm) if enabled else "", style="dim"))
