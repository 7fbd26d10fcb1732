from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from certification.automation import act_on_eligibility, reevaluate_everyone


class Command(BaseCommand):
    help = "Evaluate certification eligibility again for every teacher (or one), issuing or queueing what is earned."

    def add_arguments(self, parser):
        parser.add_argument("--email", help="Only this teacher.")

    def handle(self, *args, email=None, **options):
        if email:
            actions = act_on_eligibility(get_user_model().objects.get(email=email))
            self.stdout.write(", ".join(actions) or "nothing new")
            return
        teachers = issued = queued = 0
        for _user_id, actions in reevaluate_everyone():
            teachers += 1
            issued += sum(action.startswith("issued:") for action in actions)
            queued += sum(action.startswith("queued:") for action in actions)
        self.stdout.write(f"{teachers} teachers evaluated: {issued} certificates issued, {queued} queued.")
