from django.core.management.commands import makemessages


class Command(makemessages.Command):
    # A guessed ("fuzzy") translation is never shown to users, so it only hides a missing one: don't guess.
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
