"""Admin views of the organisation registry."""

from wagtail.admin.views import generic

from .text import fold


class FoldedSearchIndexView(generic.IndexView):
    """Search without diacritics: "hoa phu", "Hoà Phú" and "HÒA PHÚ" all match.

    Wagtail's ORM search is a plain icontains; the models keep a folded copy of
    their names in `search_text`, and the query is folded the same way.
    """

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        for word in fold(self.search_query).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset
