import factory

from competencies.models import Area, Framework, Indicator, SchoolStage


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    slug = factory.Sequence(lambda number: f"framework-{number}")
    version = 1
    name_zh = factory.Sequence(lambda number: f"能力指標架構{number}")
    name_en = factory.Sequence(lambda number: f"Competency framework {number}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda number: f"A{number}")
    name_zh = "國際素養"
    name_en = "International literacy"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    area = factory.SubFactory(AreaFactory)
    code = factory.Sequence(lambda number: f"IL-E{number}")
    stage = SchoolStage.ELEMENTARY
    title_zh = "認識世界不同國家的文化與生活方式。"
    title_en = "Learn about the cultures and ways of life of different countries."


def published_indicator(**kwargs):
    """An indicator of a framework version that has been published (and so is frozen)."""
    indicator = IndicatorFactory(**kwargs)
    indicator.area.framework.publish()
    indicator.area.framework.refresh_from_db()
    return indicator
