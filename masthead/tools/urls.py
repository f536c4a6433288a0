"""Tool pages under /tools/ (the JSON API is mounted at /api/ by masthead/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from masthead.tools import views

app_name = "tools"
urlpatterns: list[URLPattern | URLResolver] = [
    path("tools/", views.tool_list, name="list"),
    path("tools/ocr/", views.ocr_page, name="ocr"),
    path("tools/ocr/jobs/<uuid:job_id>/", views.ocr_result, name="ocr_result"),
    path("tools/ocr/batch.zip", views.ocr_batch_zip, name="ocr_batch_zip"),
    path(
        "tools/ocr/jobs/<uuid:job_id>/pages/<int:page_no>.webp",
        views.ocr_preview,
        name="ocr_preview",
    ),
    path(
        "tools/ocr/jobs/<uuid:job_id>/download/<slug:fmt>/", views.ocr_download, name="ocr_download"
    ),
    path("tools/ocr/jobs/<uuid:job_id>/share/", views.ocr_share, name="ocr_share"),
    path(
        "tools/ocr/jobs/<uuid:job_id>/receipt/",
        views.ocr_receipt_export,
        name="ocr_receipt_export",
    ),
    path("tools/ocr/jobs/<uuid:job_id>/delete/", views.ocr_delete, name="ocr_delete"),
    path("tools/ocr/shared/<str:token>/", views.ocr_shared, name="ocr_shared"),
    path("tools/api-keys/", views.api_key_create, name="api_key_create"),
    path("tools/api-keys/<int:key_id>/revoke/", views.api_key_revoke, name="api_key_revoke"),
]
