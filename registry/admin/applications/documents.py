"""An application's documents: shown on its change page, opened only by staff of its office.

Every opening is written to the access log; the file is served with `no-store`, never from a
storage URL.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin.files import private_file_response
from registry.selectors import application_checks

DOCUMENT_PERMISSION = "registry.view_applicationdocument"


class ApplicationDocumentsMixin:
    """The documents' view and URLs, and the change page's checks-and-documents field."""

    @admin.display(description=_("checks and documents"))
    def review(self, obj):
        documents = list(obj.documents.all())
        items = format_html_join(
            "",
            '<li><a href="{}" target="_blank" rel="noopener">{} · {} · {} KB</a>{}</li>',
            (
                (
                    self.document_url(obj, d),
                    d.get_kind_display(),
                    d.get_content_type_display(),
                    f"{-(-d.size // 1024):,}",
                    format_html(
                        '<br><img src="{}" alt="{}" class="golmok-document-preview">',
                        self.document_url(obj, d),
                        d.get_kind_display(),
                    )
                    if d.is_image
                    else "",
                )
                for d in documents
            ),
        )
        checks = render_to_string(
            "admin/core/includes/check_lines.html", {"lines": application_checks(obj)}
        )
        return format_html(
            '<div class="golmok-review">'
            '<div class="golmok-review-part"><strong>{}</strong><ul>{}</ul></div>'
            '<div class="golmok-review-part"><strong>{}</strong>{}</div></div>',
            gettext("Documents"),
            items or format_html("<li>{}</li>", gettext("No documents.")),
            gettext("Checks"),
            checks,
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        documents = [
            path(
                "<path:object_id>/documents/<int:document_id>/",
                self.admin_site.admin_view(self.document_view),
                name="{}_{}_document".format(*info),
            )
        ]
        return documents + super().get_urls()

    def document_url(self, application, document) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse(
            "{}:{}_{}_document".format(self.admin_site.name, *info),
            args=[application.pk, document.pk],
        )

    def document_view(self, request, object_id, document_id):
        """Show one document to staff of the application's office, and log the access."""
        application = self.get_object_in_office(request, object_id)
        if not (
            self.has_view_permission(request, application)
            and request.user.has_perm(DOCUMENT_PERMISSION)
        ):
            raise PermissionDenied
        document = application.documents.filter(pk=document_id).first()
        return private_file_response(
            request=request,
            record=application,
            document=document,
            detail=gettext("document %(id)s: %(kind)s")
            % {"id": document_id, "kind": document.get_kind_display() if document else ""},
            name_stem=application.tracking_number,
        )
