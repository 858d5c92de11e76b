"""kaohe survey-links --scheme CODE [--qr DIR] [--base-url URL]: every open survey's links."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kaohe.schemes.models import Scheme
from kaohe.surveys import documents
from kaohe.surveys.choices import SurveyMode


class Command(BaseCommand):
    help = "打印方案中未截止调查的各单位公开链接；--qr 目录 同时生成二维码 PNG。"

    def add_arguments(self, parser):
        parser.add_argument("--scheme", required=True, help="方案代码，如 puyang-2020")
        parser.add_argument("--qr", help="二维码 PNG 输出目录")
        parser.add_argument("--base-url", help="链接前缀（默认 KAOHE_BASE_URL）")
        parser.add_argument("--all", action="store_true", help="包括已截止的调查")

    def handle(self, *args, **options):
        scheme = Scheme.objects.filter(code=options["scheme"]).first()
        if scheme is None:
            raise CommandError(f"方案“{options['scheme']}”不存在。")
        base = (options.get("base_url") or documents.base_url()).rstrip("/")
        surveys = scheme.surveys.select_related("questionnaire").order_by("opens_at", "pk")
        if not options["all"]:
            surveys = surveys.filter(closes_at__gt=timezone.now())
        folder = Path(options["qr"]) if options.get("qr") else None
        if folder:
            folder.mkdir(parents=True, exist_ok=True)
        count = 0
        for survey in surveys:
            self.stdout.write(
                f"# {survey.title}（截止 {timezone.localtime(survey.closes_at):%Y-%m-%d %H:%M}）"
            )
            if survey.mode == SurveyMode.PICK_UNIT:
                url = documents.survey_url(survey, base)
                self.stdout.write(f"统一链接\t{url}")
                self._png(folder, f"{survey.pk}-统一链接", url)
            for target in survey.targets.select_related("subject__unit"):
                url = documents.target_url(target, base)
                self.stdout.write(f"{target.subject.unit}\t{url}")
                self._png(folder, f"{survey.pk}-{target.subject.unit}", url)
                count += 1
        if not count:
            self.stderr.write("没有未截止的调查（加 --all 包括已截止的）。")

    @staticmethod
    def _png(folder, name, url):
        if folder is not None:
            safe = "".join(ch for ch in name if ch not in '/\\:*?"<>|')
            (folder / f"{safe}.png").write_bytes(documents.qr_png(url))
