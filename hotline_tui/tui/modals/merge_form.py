"""并单 from a group of repeat complaints: the group's orders in a list, enter makes one the
main order, space merges another in or leaves it out (open orders only), a reason, and
ctrl+s twice (the second confirms what the first spelled out). Dismissed with the
MergeResult."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input, Static

from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.tui.modals.record_form import FormDialog, field_label
from hotline_tui.tui.modals.sponsor_forms import CSS
from hotline_tui.tui.widgets.line_table import Col, Line, LineTable

_CLOSED = ("closed", "merged")


def default_main(orders: Iterable[Any]) -> str | None:
    """The main order proposed: a sponsored open order, else the oldest open one."""
    open_ = [o for o in orders if o.status not in _CLOSED]
    if not open_:
        return None
    sponsored = [o for o in open_ if o.sponsored]
    pick = sponsored or open_
    return min(pick, key=lambda o: (o.received_at, o.order_no)).order_no


class MergeForm(FormDialog):
    CSS_PATH = CSS
    HINT_KEY = "sup.merge.hint"
    BINDINGS: ClassVar[list[BindingType]] = [
        *FormDialog.BINDINGS,
        Binding("space", "toggle", "sup_merge.toggle", id="sup_merge.toggle"),
    ]

    def __init__(self, group: Any, why: str) -> None:
        super().__init__(t("sup.merge.title", why=why))
        self.group = group
        self.orders = {o.order_no: o for o in group.orders}
        self.main = default_main(group.orders)
        self.merged_in = {o.order_no for o in group.orders
                          if o.status not in _CLOSED and o.order_no != self.main}
        self._armed: tuple | None = None

    def compose_fields(self) -> Iterable[Widget]:
        yield Static(t("sup.merge.label"), classes="form-note", markup=False)
        if self.group.total > len(self.group.orders):
            yield Static(t("sup.merge.more", total=self.group.total,
                           shown=len(self.group.orders)), classes="form-note", markup=False)
        yield LineTable([
            Col("mark", t("sup.merge.col.mark"), 6),
            Col("order_no", t("sup.col.order_no"), 15),
            Col("received", t("sup.merge.col.received"), 11),
            Col("status", t("sup.col.state"), 8),
            Col("title", t("sup.col.title"), 0),
        ], id="merge-table")
        yield field_label(t("sup.merge.reason"), "merge-reason")
        yield Input(" ".join(t(f"candidates.why.{r}") for r in self.group.reasons),
                    id="merge-reason")

    @property
    def table(self) -> LineTable:
        return self.query_one("#merge-table", LineTable)

    def on_mount(self) -> None:
        self._paint()
        self.table.focus()

    def _paint(self) -> None:
        lines = []
        for o in self.group.orders:
            closed = o.status in _CLOSED
            mark = (t("sup.merge.main_mark") if o.order_no == self.main else
                    t("sup.merge.in_mark") if o.order_no in self.merged_in else "")
            lines.append(Line(o.order_no, {
                "mark": mark, "order_no": o.order_no,
                "received": f"{o.received_at:%m-%d %H:%M}",
                "status": t(f"status.{o.status}"), "title": o.title,
            }, tone="dim" if closed else ("warn" if o.order_no == self.main else ""), data=o))
        self.table.set_lines(lines)
        self._armed = None

    def _current(self) -> Any:
        line = self.table.current
        return line.data if line is not None else None

    @on(LineTable.Selected, "#merge-table")
    def _make_main(self, event: LineTable.Selected) -> None:
        event.stop()
        o = event.line.data
        if o.status in _CLOSED:
            self.show_error(t("sup.merge.closed", order_no=o.order_no,
                              status=t(f"status.{o.status}")))
            return
        if self.main and self.main != o.order_no:
            self.merged_in.add(self.main)
        self.main = o.order_no
        self.merged_in.discard(o.order_no)
        self.show_error("")
        self._paint()

    def action_toggle(self) -> None:
        if self.focused is not self.table:
            return
        o = self._current()
        if o is None:
            return
        if o.status in _CLOSED:
            self.show_error(t("sup.merge.closed", order_no=o.order_no,
                              status=t(f"status.{o.status}")))
            return
        if o.order_no == self.main:
            self.main = None
        elif o.order_no in self.merged_in:
            self.merged_in.discard(o.order_no)
        else:
            self.merged_in.add(o.order_no)
        self.show_error("")
        self._paint()
        self.table.action_cursor_down()

    def values(self) -> dict[str, Any]:
        others = [o.order_no for o in self.group.orders if o.order_no in self.merged_in]
        return {"main": self.main, "others": others,
                "reason": self.input_value("merge-reason")}

    def check(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["main"]:
            raise UserError("sup.merge.need_main")
        if not values["others"]:
            raise UserError("sup.merge.need_other")
        return values

    def action_save(self) -> None:
        """The first ctrl+s says what will happen; the second (nothing changed) merges."""
        if self.saving:
            return
        try:
            values = self.check(self.values())
        except Exception as exc:  # noqa: BLE001 - shown in the form
            from hotline_tui.tui.errors import message_for

            self.show_error(message_for(exc))
            return
        key = (values["main"], tuple(values["others"]), values["reason"])
        if self._armed != key:
            self._armed = key
            self.show_error(t("sup.merge.confirm", main=values["main"],
                              others="、".join(values["others"])))
            return
        super().action_save()

    def save(self, values: dict[str, Any]) -> Any:
        from hotline_tui.services.merge import merge

        return merge(self.app.engine, values["main"], values["others"],  # type: ignore[attr-defined]
                     reason=values["reason"])
