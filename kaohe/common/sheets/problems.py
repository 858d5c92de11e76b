"""Import problems: every message names where it is (sheet, row, column) and what was expected."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


class ImportFailed(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = list(messages)


@dataclass
class Problems:
    """Collects problems while a file is read; `where` builds the location prefix."""

    messages: list[str] = field(default_factory=list)
    limit: int = 1000

    def add(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        if len(self.messages) >= self.limit:
            return
        if row is not None and column:
            text = _("%(sheet)s 第 %(row)s 行“%(column)s”列：%(message)s")
        elif row is not None:
            text = _("%(sheet)s 第 %(row)s 行：%(message)s")
        elif column:
            text = _("%(sheet)s“%(column)s”列：%(message)s")
        else:
            text = _("%(sheet)s：%(message)s")
        params = {"sheet": sheet, "row": row, "column": column, "message": message}
        self.messages.append(text % params)
        if len(self.messages) == self.limit:
            self.messages.append(_("问题超过 %(limit)s 条，其余未列出。") % {"limit": self.limit})

    def note(self, where: str, message: str) -> None:
        if len(self.messages) < self.limit:
            self.messages.append(_("%(where)s：%(message)s") % {"where": where, "message": message})

    def raise_if_any(self) -> None:
        if self.messages:
            raise ImportFailed(self.messages)

    def __bool__(self) -> bool:
        return bool(self.messages)
