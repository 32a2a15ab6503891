from django.urls import path

from directory import views

app_name = "directory"

# Included under organisations/<slug>/: asking to join, then the directory itself.
urlpatterns = [
    path("join/", views.join, name="join"),
    path("join/withdraw/", views.join_withdraw, name="join_withdraw"),
    path("join-requests/", views.join_requests, name="join_requests"),
    path("join-requests/<int:request_id>/approve/", views.join_request_approve, name="join_request_approve"),
    path("join-requests/<int:request_id>/decline/", views.join_request_decline, name="join_request_decline"),
    path("directory/", views.directory_list, name="list"),
    path("directory/me/", views.my_listing, name="my_listing"),
    path("directory/me/remove/", views.listing_remove, name="listing_remove"),
    path("directory/people/<int:person_id>/message/", views.contact, name="contact"),
    path("directory/messages/<int:message_id>/reply/", views.message_reply, name="message_reply"),
    path("directory/messages/<int:message_id>/block/", views.message_block, name="message_block"),
    path("directory/blocks/<int:person_id>/remove/", views.contact_unblock, name="contact_unblock"),
]
