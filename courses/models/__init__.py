from .attendance import Attendance, Registration, TrainingSession
from .h5p import H5PPackage
from .pages import CourseIndexPage, CoursePage, ModulePage, WorkshopIndexPage, WorkshopPage
from .progress import ContentUserData, Enrolment, H5PAttempt, ModuleProgress, XAPIStatement

__all__ = [
    "Attendance",
    "ContentUserData",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "H5PAttempt",
    "H5PPackage",
    "ModulePage",
    "ModuleProgress",
    "Registration",
    "TrainingSession",
    "WorkshopIndexPage",
    "WorkshopPage",
    "XAPIStatement",
]
