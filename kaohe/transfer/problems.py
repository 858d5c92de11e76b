"""Import problems: every message names where it is (sheet, row, column) and what was expected."""

from dataclasses import dataclass, field


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
        where = sheet
        if row is not None:
            where += f" 第 {row} 行"
        if column:
            where += f"“{column}”列"
        self.messages.append(f"{where}：{message}")
        if len(self.messages) == self.limit:
            self.messages.append(f"问题超过 {self.limit} 条，其余未列出。")

    def note(self, where: str, message: str) -> None:
        if len(self.messages) < self.limit:
            self.messages.append(f"{where}：{message}")

    def raise_if_any(self) -> None:
        if self.messages:
            raise ImportFailed(self.messages)

    def __bool__(self) -> bool:
        return bool(self.messages)
