from .attendance import Attendance, Registration, TrainingSession
from .h5p import H5PPackage
from .pages import CourseIndexPage, CoursePage, ModulePage, WorkshopIndexPage, WorkshopPage
from .progress import ContentUserData, Enrolment, H5PAttempt, ModuleProgress, XAPIStatement
from .scorm import ScormPackage, ScormTrack

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
    "ScormPackage",
    "ScormTrack",
    "TrainingSession",
    "WorkshopIndexPage",
    "WorkshopPage",
    "XAPIStatement",
]
