"""The dashboard's checklist panel is cached by ``courses.learner_cache``; a certificate issued, revoked or
superseded changes one teacher's panel, and a programme edited changes everyone's."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from courses.learner_cache import everyone_changed, learner_changed

from .models import Certificate, CertificationProgramme


def certificate_changed(sender, instance, **kwargs):
    learner_changed(instance.user_id)


def programme_changed(sender, **kwargs):
    everyone_changed()


for signal in (post_save, post_delete):
    signal.connect(certificate_changed, sender=Certificate, dispatch_uid="learner-cache.certificate")
    signal.connect(programme_changed, sender=CertificationProgramme, dispatch_uid="learner-cache.programme")
m2m_changed.connect(
    programme_changed, sender=CertificationProgramme.required_courses.through, dispatch_uid="learner-cache.programme"
)
