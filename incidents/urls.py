from django.urls import path

from . import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("export.csv", views.incident_export, name="export"),
    path("new/", views.incident_create, name="create"),
    path("new/preview.json", views.incident_preview, name="preview"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/incident.pdf", views.incident_pdf, name="pdf"),
    path("<int:pk>/edit/", views.incident_edit, name="edit"),
    path("<int:pk>/people/", views.incident_people, name="people"),
    path("<int:pk>/status/", views.incident_status, name="status"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/alerts.json", views.incident_alerts_json, name="alerts_json"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/acknowledge/", views.alerts_acknowledge, name="alerts_acknowledge"),
    path("alerts/mine.json", views.my_alerts_json, name="my_alerts_json"),
    path("thresholds/", views.threshold_table, name="thresholds"),
    path("thresholds/guide/", views.threshold_guide, name="threshold_guide"),
    path("categories/", views.category_list, name="categories"),
    path("threats/", views.threat_list, name="threat_list"),
    path("threats/new/", views.threat_create, name="threat_create"),
    path("threats/<int:pk>/", views.threat_detail, name="threat_detail"),
    path("threats/<int:pk>/classify/", views.threat_classify, name="threat_classify"),
    path("threats/<int:pk>/steps/<int:action_pk>/done/", views.threat_action_done, name="threat_action_done"),
    path("threats/<int:pk>/safety-plan/", views.threat_safety_plan, name="threat_safety_plan"),
    path("threats/<int:pk>/close/", views.threat_close, name="threat_close"),
    path("reports/crdc/", views.crdc_report, name="crdc_report"),
    path("reports/crdc/collected/<int:district_pk>/", views.crdc_collection, name="crdc_collection"),
    path("reports/ssec/", views.ssec_report, name="ssec_report"),
    path("categories/ssec/", views.ssec_mappings, name="ssec_mappings"),
]
