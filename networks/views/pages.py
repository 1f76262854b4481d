"""Static information pages linked from the footer."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView


class InfoPageView(TemplateView):
    """A static page; ``page_title`` is given in the URL configuration."""

    page_title = ""

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        return {
            **super().get_context_data(**kwargs),
            "page_title": self.page_title,
            "dpo_email": settings.PORTAL_DPO_EMAIL,
            "accessibility_email": settings.PORTAL_ACCESSIBILITY_EMAIL,
        }


accessibility = InfoPageView.as_view(
    template_name="networks/accessibility.html", page_title=_("Dichiarazione di accessibilità")
)
privacy = InfoPageView.as_view(
    template_name="networks/privacy.html", page_title=_("Informativa privacy")
)
legal_notes = InfoPageView.as_view(
    template_name="networks/legal_notes.html", page_title=_("Note legali")
)
