from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("", views.directory_list, name="list"),
    path("me/", views.my_listing, name="my_listing"),
    path("me/remove/", views.listing_remove, name="listing_remove"),
    path("people/<int:person_id>/message/", views.contact, name="contact"),
    path("messages/<int:message_id>/reply/", views.message_reply, name="message_reply"),
    path("messages/<int:message_id>/block/", views.message_block, name="message_block"),
    path("blocks/<int:person_id>/remove/", views.contact_unblock, name="contact_unblock"),
]
