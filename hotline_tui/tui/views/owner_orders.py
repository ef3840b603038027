"""One first-contact owner's orders (drill-in from the register or the owner directory):
open ones by default, overdue and soonest due first; `enter` opens the order, `c` hands it
to another owner (reason required), `e` fixes the owner's phone, `a` shows all orders."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Static

from hotline_tui.i18n import t
from hotline_tui.services import clock
from hotline_tui.tui.screens.directory_base import DirectoryScreen
from hotline_tui.tui.widgets.line_table import Col, KeepsTableFocus, Line, LineTable

PAGE = 200


@dataclass
class OwnerHead:
    """The owner the screen is about (from a register line or a roster row)."""

    owner_id: int
    unit_id: int
    unit_name: str
    name: str
    phone: str
    post: str
    open: int
    due_soon: int | None = None
    overdue: int | None = None
    signed_late: int | None = None

    @classmethod
    def of(cls, o: Any) -> OwnerHead:
        return cls(o.owner_id, o.unit_id, getattr(o, "unit_label", "") or o.unit_name, o.name,
                   o.phone, o.post, o.open, getattr(o, "due_soon", None),
                   getattr(o, "overdue", None), getattr(o, "signed_late", None))


def order_columns() -> list[Col]:
    return [
        Col("order_no", t("register.col.order_no"), 15),
        Col("status", t("register.col.status"), 6),
        Col("title", t("register.col.title"), 0),
        Col("signed_at", t("register.col.signed_at"), 11, keep=4),
        Col("due_at", t("register.col.due_at"), 11, keep=6),
        Col("flags", t("register.col.flags"), 22, keep=5),
    ]


def order_line(r: Any, now: Any, soon: int = 48) -> Line:
    from hotline_tui.tui.screens.register import short

    flags = [t(k, h=soon) for k, on_ in (("register.flag.overdue", r.overdue),
                                         ("register.flag.due_soon", r.due_soon),
                                         ("register.flag.signed_late", r.signed_late)) if on_]
    tone = "late" if r.overdue else "warn" if r.due_soon else ""
    return Line(r.order_no, {
        "order_no": r.order_no, "status": t(f"status.{r.status}"),
        "title": (t("register.urgent") if r.urgent else "") + (r.title or ""),
        "signed_at": short(r.signed_at, now), "due_at": short(r.due_at, now),
        "flags": " ".join(flags),
    }, tone=tone, data=r)


class OwnerOrdersScreen(KeepsTableFocus, DirectoryScreen):
    """Dismissed with True when something changed here (the register then reads again)."""

    TITLE_KEY = "screen.owner_orders"
    CSS_PATH = "owner_views.tcss"
    AUTO_FOCUS = "#owner-orders"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "owner_orders.back", id="owner_orders.back"),
        Binding("c", "change_owner", "owner_orders.change_owner",
                id="owner_orders.change_owner"),
        Binding("e", "edit_phone", "owner_orders.edit_phone", id="owner_orders.edit_phone"),
        Binding("a", "toggle_all", "owner_orders.all", id="owner_orders.all"),
        Binding("r,f5", "reload", "owner_orders.reload", id="owner_orders.reload",
                show=False),
    ]

    def __init__(self, owner: Any) -> None:
        super().__init__()
        self.owner = owner if isinstance(owner, OwnerHead) else OwnerHead.of(owner)
        self.open_only = True
        self.changed = False
        self._gen = 0

    def compose_body(self) -> Iterable[Widget]:
        yield Static("", id="owner-head", markup=False)
        yield LineTable(order_columns(), note=t("register.loading"), id="owner-orders")
        yield Static("", id="status", markup=False)

    @property
    def table(self) -> LineTable:
        return self.query_one("#owner-orders", LineTable)

    def on_screen_resume(self) -> None:
        self.restore_focus()

    def on_screen_suspend(self) -> None:
        self.remember_focus()

    def on_mount(self) -> None:
        self._last_table = self.table
        self._head()
        self.reload()

    def _head(self) -> None:
        o = self.owner
        parts = [o.name, o.phone]
        if o.post:
            parts.append(o.post)
        parts.append(o.unit_name)
        counts = [t("register.head.open", n=o.open)]
        for key, n in (("due_soon", o.due_soon), ("overdue", o.overdue),
                       ("signed_late", o.signed_late)):
            if n is not None:
                counts.append(t(f"register.head.{key}", n=n,
                                h=getattr(self.app, "warn_hours", 48)))
        self.query_one("#owner-head", Static).update("  ".join(parts) + "    " +
                                                     "  ".join(counts))

    # -- loading ----------------------------------------------------------------------------
    def reload(self) -> None:
        self._gen += 1
        self._fetch(self._gen, 0)

    def action_reload(self) -> None:
        self.reload()

    def _fetch(self, gen: int, offset: int) -> None:
        engine, owner_id, open_only = self.engine, self.owner.owner_id, self.open_only
        now = clock.now()

        def work() -> list:
            from hotline_tui.services.owners import owner_orders

            return owner_orders(engine, owner_id, open_only=open_only, offset=offset,
                                limit=PAGE, now=now)

        def done(rows: list) -> None:
            if gen != self._gen:
                return
            soon = getattr(self.app, "warn_hours", 48)
            lines = [order_line(r, now, soon) for r in rows]
            more = offset + len(rows) + (1 if len(rows) == PAGE else 0)
            if offset == 0:
                note = t("owner_orders.none_open" if open_only else "owner_orders.none")
                self.table.set_lines(lines, total=more, note=note)
            elif len(self.table.lines) == offset:
                self.table.add_lines(lines, total=more)
            self._status()

        self.run_db(work, done)

    @on(LineTable.NeedMore, "#owner-orders")
    def _more(self, event: LineTable.NeedMore) -> None:
        self._fetch(self._gen, event.loaded)

    def _status(self) -> None:
        shown = t("owner_orders.open_only" if self.open_only else "owner_orders.all_orders")
        loaded, total = len(self.table.lines), self.table.total
        if self.open_only:
            total = max(self.owner.open, loaded)
        more = "+" if loaded == total and self.table.total > loaded else ""
        self.show_status(t("owner_orders.status", which=shown, total=f"{total:,}{more}",
                           n=f"{loaded:,}"))

    # -- keys -------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "change_owner":
            line = self.table.current
            return line is not None and line.data.status in ("signed", "replied", "rework",
                                                             "meeting")
        return True

    @on(LineTable.Highlighted, "#owner-orders")
    def _moved(self) -> None:
        self.refresh_bindings()

    @on(LineTable.Selected, "#owner-orders")
    def _open(self, event: LineTable.Selected) -> None:
        from hotline_tui.tui.views.order_detail import OrderDetailScreen

        def back(changed: bool | None) -> None:
            if changed:
                self.changed = True
                self.reload()

        self.app.push_screen(OrderDetailScreen(event.line.data.order_id), back)

    def action_back(self) -> None:
        self.dismiss(self.changed)

    def action_toggle_all(self) -> None:
        self.open_only = not self.open_only
        self.reload()

    def action_change_owner(self) -> None:
        from hotline_tui.tui.modals.change_owner import open_change_owner

        line = self.table.current
        if line is None:
            return

        row = line.data

        def done(change: Any) -> None:
            if change is not None:
                self.changed = True
                o = self.owner
                o.open = max(0, o.open - 1)
                for key, gone in (("due_soon", row.due_soon), ("overdue", row.overdue),
                                  ("signed_late", row.signed_late)):
                    if gone and getattr(o, key):
                        setattr(o, key, getattr(o, key) - 1)
                self._head()
                self.reload()

        open_change_owner(self, line.key, done)

    def action_edit_phone(self) -> None:
        from hotline_tui.tui.screens.register import edit_phone

        def done(update: Any) -> None:
            self.changed = True
            self.owner.phone = update.owner.phone
            self.owner.owner_id = update.owner.id
            self._head()
            self.reload()

        edit_phone(self, self.owner, done)
