from django.urls import include, path

from people import views
from people.views import my_data, organisations, profile, sign_in

people_patterns = [
    path("my/profile/", profile.my_profile, name="my_profile"),
    path("my/profile/edit/", profile.profile_edit, name="profile_edit"),
    path("my/profile/topics/", profile.skills_edit, name="skills_edit"),
    path("my/profile/as/<str:audience>/", profile.profile_preview, name="profile_preview"),
    path("my/data/", my_data.my_data, name="my_data"),
    path("my/data/download/", my_data.data_export, name="data_export"),
    path("my/data/delete/", my_data.account_delete, name="account_delete"),
    path("my/data/activity/", my_data.my_audit, name="my_audit"),
    path("people/<int:person_id>/", profile.person_detail, name="person_detail"),
    path("sign-in/<str:token>/", sign_in.sign_in_link, name="sign_in_link"),
    path("invitations/<str:token>/", organisations.invitation_accept, name="invitation_accept"),
    path("organisations/<slug:slug>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path("organisations/<slug:slug>/topics/", organisations.topic_list, name="topic_list"),
    path("organisations/<slug:slug>/topics/<int:topic_id>/", organisations.topic_edit, name="topic_edit"),
    path("organisations/<slug:slug>/invitations/", organisations.invitation_list, name="invitation_list"),
    path("organisations/<slug:slug>/people/", organisations.organisation_people, name="organisation_people"),
    path(
        "organisations/<slug:slug>/people/<int:person_id>/block/",
        organisations.person_block,
        name="person_block",
    ),
    path("organisations/<slug:slug>/audit/", organisations.organisation_audit, name="organisation_audit"),
]

urlpatterns = [
    path("code-of-conduct/", views.code_of_conduct, name="code_of_conduct"),
    path("", include((people_patterns, "people"))),
]
