"""Error reports (the e-mails to ADMINS and the debug page) without the personal data of teachers.

Django hides settings and passwords; our forms also carry names, schools, e-mail addresses and sign-in codes,
so every submitted value and every local variable is hidden, and so are cookies (they hold session ids).
"""

from django.views.debug import SafeExceptionReporterFilter


class PersonalDataExceptionReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        return {key: self.cleansed_substitute if key == "HTTP_COOKIE" else value for key, value in meta.items()}

    def get_traceback_frame_variables(self, request, tb_frame):
        # Local variables hold forms, profiles and users; outside DEBUG only their names are reported.
        variables = super().get_traceback_frame_variables(request, tb_frame)
        if not self.is_active(request):
            return variables
        return [(name, self.cleansed_substitute) for name, _value in variables]
