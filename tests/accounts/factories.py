import factory
from allauth.account.models import EmailAddress

from accounts.models import TeacherProfile, User

PASSWORD = "Correct-horse-battery-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A user who can sign in: a verified primary e-mail address and the password PASSWORD."""

    email = factory.Sequence(lambda n: f"teacher{n}@school.example.tw")
    username = factory.SelfAttribute("email")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Meta:
        model = User
        skip_postgeneration_save = True

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
            self.save()


class TeacherProfileFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    name_zh = "陳美玲"
    name_en = "Mei-Ling Chen"
    school = "臺中市立大墩國民中學"
    school_level = "junior_high"
    county = "taichung_city"
    subject_area = "英語文"

    class Meta:
        model = TeacherProfile
