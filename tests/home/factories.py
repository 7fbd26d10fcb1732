import datetime

import factory
import wagtail_factories

from home.models import HomePage, NewsIndexPage, NewsPage, StandardPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "國際教育專業知能認證"
    hero_title = "成為具國際素養的教師"

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"說明頁 {n}")
    introduction = "說明"

    class Meta:
        model = StandardPage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "最新消息"

    class Meta:
        model = NewsIndexPage


class NewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"消息 {n}")
    date = factory.LazyFunction(datetime.date.today)
    summary = "研習公告"

    class Meta:
        model = NewsPage
