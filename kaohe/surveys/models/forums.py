"""Forum records (民营企业家座谈会): who came is kept here, never with the answers."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.common.models import TextGuardMixin, TimeStampedModel


class ForumRecord(TimeStampedModel):
    """One forum held by an assessment team for a subject."""

    scheme = models.ForeignKey(
        "schemes.Scheme", verbose_name=_("方案"), on_delete=models.CASCADE, related_name="forums"
    )
    subject = models.ForeignKey(
        "schemes.Subject",
        verbose_name=_("考核对象"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    survey = models.ForeignKey(
        "surveys.Survey",
        verbose_name=_("所用调查"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forums",
    )
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=128)
    attendees = models.TextField(_("参会企业"), blank=True, help_text=_("每行一家企业名称。"))
    notes = models.TextField(_("座谈纪要"), blank=True)

    class Meta:
        ordering = ["scheme", "-held_on", "id"]
        verbose_name = _("座谈会记录")
        verbose_name_plural = _("座谈会记录")

    def __str__(self):
        return f"{self.held_on} {self.place}"

    @property
    def attendee_list(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


class ForumOpinion(TextGuardMixin, models.Model):
    """An opinion raised at a forum; the office may turn it into a rectification item."""

    forum = models.ForeignKey(
        ForumRecord, verbose_name=_("座谈会"), on_delete=models.CASCADE, related_name="opinions"
    )
    text = models.TextField(_("意见建议"))
    rectification_item_id = models.PositiveBigIntegerField(_("整改事项"), null=True, blank=True)

    class Meta:
        ordering = ["forum", "id"]
        verbose_name = _("座谈意见")
        verbose_name_plural = _("座谈意见")

    def __str__(self):
        return self.text[:40]
