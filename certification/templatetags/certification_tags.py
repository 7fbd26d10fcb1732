from django import template

from ..eligibility import evaluate_all

register = template.Library()


@register.inclusion_tag("certification/includes/eligibility_checklists.html", takes_context=True)
def eligibility_checklists(context):
    """The signed-in teacher's checklist for every open programme, for dashboards: ``{% eligibility_checklists %}``."""
    user = context["request"].user
    return {"eligibilities": evaluate_all(user) if user.is_authenticated else []}
