"""`kaohe worker`: run a worker (huey consumer) for background tasks and periodic work."""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from huey.consumer import Consumer

from kaohe.background import broker, runner


class Command(BaseCommand):
    help = "运行后台任务工作进程（导入、通报生成、提醒、重算、备份），并按计划执行定时任务。"

    def add_arguments(self, parser):
        parser.add_argument("-w", "--workers", type=int, default=2, help="并发线程数（默认 2）")
        parser.add_argument(
            "--no-periodic", action="store_true", help="不运行定时任务调度（多台时可只留一台）"
        )

    def handle(self, *args, **options):
        if settings.KAOHE_TASKS_IMMEDIATE:
            raise CommandError("KAOHE_TASKS_IMMEDIATE=1：任务在请求内直接运行，不需要工作进程。")
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        huey = broker.get_huey()
        stop = runner.start_heartbeat(settings.KAOHE_TASK_HEARTBEAT_SECONDS)
        found = runner.runs_recover()
        self.stdout.write(
            f"worker {runner.WORKER_ID}: {type(huey).__name__}, "
            f"{options['workers']} threads; recovered {found}"
        )
        self.stdout.flush()
        consumer = Consumer(
            huey,
            workers=options["workers"],
            worker_type="thread",
            periodic=not options["no_periodic"],
            max_delay=1.0,
        )
        try:
            consumer.run()
        finally:
            stop.set()
