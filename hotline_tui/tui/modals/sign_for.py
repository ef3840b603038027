"""Sign-for (签收): the first-contact owner of one dispatched order, or of several orders of one
unit (bulk), with name, phone, post and the sign-for time (now unless edited).

A regular owner takes two keys once the form is open: the unit's most recent owner is
highlighted, `enter` takes them (phone and post filled, the cursor on the time) and `enter`
signs. A bad name, phone or time is refused in the form with the service's sentence; the
orders are written in one transaction (`services.owners.sign_many`), so nothing is
half-done. `open_sign_for` opens it from anywhere with just the order numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.services import clock
from hotline_tui.tui.errors import message_for
from hotline_tui.tui.modals import Dialog
from hotline_tui.tui.widgets.owner_suggest import OwnerNameField

TIME_FORMAT = "%Y-%m-%d %H:%M"
SHOWN_ORDERS = 6


def label(text: str, widget_id: str) -> Label:
    return Label(text, classes="form-label", id=f"{widget_id}-label", markup=False)


def warm_pinyin() -> None:
    """Import pypinyin (~0.4 s the first time in a process) before the first sign-for
    needs it for a new owner's initials; call in a thread worker."""
    try:
        from hotline_tui.domain.pinyin import pinyin_of

        pinyin_of("张")
    except Exception:  # noqa: BLE001 - only a warm-up
        pass


class OwnerForm(Dialog):
    """The owner forms' frame: fields, one error line, a hint; ctrl+s saves in a thread
    worker, esc cancels; a refused save keeps what was typed and shows one sentence."""

    CSS_PATH = "owner_forms.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "owner_form.save", id="owner_form.save", priority=True),
        Binding("escape", "cancel", "owner_form.cancel", id="owner_form.cancel"),
    ]
    HINT_KEY = "owner_form.hint"
    #: the field after name, phone and post; enter there saves
    LAST_FIELD: ClassVar[str] = ""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title
        self.saving = False

    def on_mount(self) -> None:
        self.query_one("#owner-name", Input).focus()
        self.run_worker(warm_pinyin, thread=True, group="warm-pinyin", exit_on_error=False)

    # -- moving through the form: name (a suggestion fills phone and post), phone, post, last
    @on(OwnerNameField.Accepted)
    def _accepted(self, event: OwnerNameField.Accepted) -> None:
        s = event.suggestion
        self.query_one("#owner-phone", Input).value = s.phone
        self.query_one("#owner-post", Input).value = s.post
        self.show_error("")
        self.focus_field(self.LAST_FIELD)

    @on(OwnerNameField.Passed)
    def _passed(self) -> None:
        self.focus_field("owner-phone")

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        field = event.input.id
        if field == "owner-phone":
            self.focus_field("owner-post")
        elif field == "owner-post":
            self.focus_field(self.LAST_FIELD)
        elif field == self.LAST_FIELD:
            self.action_save()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="owner-form"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield from self.compose_fields()
            yield Static("", id="form-error", classes="dialog-error", markup=False)
            yield Static(t(self.HINT_KEY), classes="dialog-hint", id="form-hint", markup=False)

    def compose_fields(self) -> Iterable[Widget]:
        return ()

    @property
    def engine(self) -> Any:
        return self.app.engine  # type: ignore[attr-defined]

    @property
    def error(self) -> str:
        return str(self.query_one("#form-error", Static).render())

    def show_error(self, text: str) -> None:
        self.query_one("#form-error", Static).update(text)

    def value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def focus_field(self, widget_id: str) -> None:
        box = self.query_one(f"#{widget_id}", Input)
        box.focus()
        box.cursor_position = len(box.value)

    # -- subclasses ------------------------------------------------------------------------
    def check(self) -> dict[str, Any]:
        """Read and check the fields on the event loop (quick); raise UserError."""
        return {}

    def save(self, values: dict[str, Any]) -> Any:  # in a thread
        raise NotImplementedError

    # -- saving ----------------------------------------------------------------------------
    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        if event.input.id != "owner-name" or event.value:
            self.show_error("")

    def action_save(self) -> None:
        if self.saving:
            return
        try:
            values = self.check()
        except Exception as exc:  # noqa: BLE001 - shown in the form
            self.show_error(message_for(exc))
            return
        self.saving = True
        self.show_error("")
        self.run_worker(lambda: self._save(values), thread=True, group="owner-form",
                        exit_on_error=False)

    def _save(self, values: dict[str, Any]) -> None:
        try:
            result = self.save(values)
        except Exception as exc:  # noqa: BLE001 - shown in the form
            self._back(None, message_for(exc))
            return
        self._back(result, "")

    def _back(self, result: Any, error: str) -> None:
        try:
            self.app.call_from_thread(self._saved, result, error)
        except RuntimeError:  # the app has closed meanwhile
            pass

    def _saved(self, result: Any, error: str) -> None:
        self.saving = False
        if error:
            self.show_error(error)
        else:
            self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


def checked_owner(name: str, phone: str, post: str) -> tuple[str, str, str]:
    """The services' own checks, so the form shows their sentence before any write."""
    from hotline_tui.services.owners import check_name, check_phone, check_post

    return check_name(name), check_phone(phone), check_post(post)


def orders_line(order_nos: Sequence[str]) -> str:
    shown = "  ".join(order_nos[:SHOWN_ORDERS])
    if len(order_nos) > SHOWN_ORDERS:
        shown += "  " + t("sign_for.more", n=len(order_nos))
    return shown


class SignForScreen(OwnerForm):
    """Dismissed with the list of SignResult, or None when cancelled."""

    LAST_FIELD = "sign-at"

    def __init__(self, order_nos: Sequence[str], unit_id: int | None, unit_name: str, *,
                 versions: dict[str, int] | None = None) -> None:
        self.order_nos = list(dict.fromkeys(order_nos))
        n = len(self.order_nos)
        title = (t("sign_for.title_one", order_no=self.order_nos[0], unit=unit_name) if n == 1
                 else t("sign_for.title_many", n=n, unit=unit_name))
        super().__init__(title)
        self.unit_id = unit_id
        self.unit_name = unit_name
        self.versions = versions or {}
        self.default_time = clock.now().strftime(TIME_FORMAT)

    def compose_fields(self) -> Iterable[Widget]:
        if len(self.order_nos) > 1:
            yield Static(orders_line(self.order_nos), id="sign-orders", classes="dialog-label",
                         markup=False)
        yield label(t("sign_for.name"), "owner-name")
        yield OwnerNameField(self.engine, self.unit_id, id="owner-field")
        with Horizontal(classes="form-row"):
            with Vertical(classes="form-cell"):
                yield label(t("sign_for.phone"), "owner-phone")
                yield Input(id="owner-phone")
            with Vertical(classes="form-cell"):
                yield label(t("sign_for.post"), "owner-post")
                yield Input(id="owner-post")
        yield label(t("sign_for.at"), "sign-at")
        yield Input(self.default_time, id="sign-at")

    # -- saving ------------------------------------------------------------------------------
    def check(self) -> dict[str, Any]:
        name, phone, post = checked_owner(self.value("owner-name"), self.value("owner-phone"),
                                          self.value("owner-post"))
        return dict(name=name, phone=phone, post=post, at=self._time())

    def _time(self) -> datetime | None:
        from hotline_tui.domain.normalize import BadDate, parse_datetime

        text = self.value("sign-at")
        if not text or text == self.default_time:
            return None  # now, at the moment of saving
        try:
            return parse_datetime(text)
        except BadDate:
            raise UserError("owners.error.bad_time", value=text) from None

    def save(self, values: dict[str, Any]) -> Any:
        from hotline_tui.services.owners import sign_many

        versions = {n: v for n, v in self.versions.items() if n in self.order_nos}
        return sign_many(self.engine, self.order_nos, expected_versions=versions or None,
                         **values)


def signed_message(results: Sequence[Any]) -> str:
    """'已签收 3 件：陈勇 18507364934（超时签收 1 件）' for the notification."""
    if not results:
        return ""
    owner = results[0].owner
    late = sum(1 for r in results if r.late)
    text = t("sign_for.done", n=len(results), owner=f"{owner.name} {owner.phone}")
    if late:
        text += t("sign_for.done_late", n=late)
    return text


def open_sign_for(screen: Screen, order_nos: Sequence[str],
                  done: Callable[[list | None], None] | None = None) -> None:
    """Read the orders (a worker), then open the sign-for form for them; an order that
    cannot be signed for (not dispatched, another unit) is one sentence, no form."""
    engine = screen.app.engine  # type: ignore[attr-defined]
    numbers = list(order_nos)

    def read() -> None:
        from hotline_tui.services.owner_targets import order_targets

        try:
            targets = order_targets(engine, numbers)
            _check_signable(targets)
        except Exception as exc:  # noqa: BLE001 - one sentence
            screen.app.call_from_thread(screen.app.notify, message_for(exc), severity="error",
                                        timeout=8)
            return
        screen.app.call_from_thread(_push, targets)

    def _push(targets: list) -> None:
        first = targets[0]

        def back(results: list | None) -> None:
            if results:
                screen.app.notify(signed_message(results))
            if done is not None:
                done(results)

        screen.app.push_screen(
            SignForScreen([x.order_no for x in targets], first.unit_id, first.unit_name,
                          versions={x.order_no: x.version for x in targets}),
            back,
        )

    screen.run_worker(read, thread=True, group="sign-for-open", exclusive=True,
                      exit_on_error=False)


def _check_signable(targets: list) -> None:
    from hotline_tui.domain.states import Status

    for x in targets:
        if x.status != Status.DISPATCHED.value:
            if x.owner is not None and x.signed_at is not None:
                raise UserError("owners.error.already_signed", order_no=x.order_no,
                                name=x.owner.name, phone=x.owner.phone,
                                at=f"{x.signed_at:%Y-%m-%d %H:%M}")
            raise UserError("sign_for.not_dispatched", order_no=x.order_no,
                            status=t(f"status.{x.status}"))
        if x.unit_id is None:
            raise UserError("owners.error.no_unit", order_no=x.order_no)
    if len({x.unit_id for x in targets}) > 1:
        raise UserError("owners.error.many_units", count=len({x.unit_id for x in targets}))


class OrderOwnerKeys:
    """Sign-for and change of owner for the order a view shows (mixin for the order detail
    view: it needs `detail` (order_no, status), `changed` and `load()`). Add the bindings
    `Binding("s", "sign_for", "detail.sign_for", id="detail.sign_for")` and
    `Binding("c", "change_owner", "detail.change_owner", id="detail.change_owner")` and
    let `owner_action_allowed` answer check_action for them."""

    OWNER_ACTIONS = ("sign_for", "change_owner")

    def owner_action_allowed(self, action: str) -> bool:
        d = getattr(self, "detail", None)
        if d is None:
            return False
        if action == "sign_for":
            return d.status == "dispatched"
        return d.status in ("signed", "replied", "rework", "meeting")

    def _owner_done(self, result: object) -> None:
        if result:
            self.changed = True  # type: ignore[attr-defined]
        self.load()  # type: ignore[attr-defined] # after a refusal too: the current data

    def action_sign_for(self) -> None:
        d = getattr(self, "detail", None)
        if d is not None and self.owner_action_allowed("sign_for"):
            open_sign_for(self, [d.order_no], self._owner_done)  # type: ignore[arg-type]

    def action_change_owner(self) -> None:
        from hotline_tui.tui.modals.change_owner import open_change_owner

        d = getattr(self, "detail", None)
        if d is not None and self.owner_action_allowed("change_owner"):
            open_change_owner(self, d.order_no, self._owner_done)  # type: ignore[arg-type]
