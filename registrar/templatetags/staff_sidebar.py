"""``{% staff_sidebar %}``: the staff pages' sidebar, written in Python (issue 10's navigation).

unfold's ``helpers/app_list.html`` renders each of the registrar's 50-odd links through template loops
and a badge include per link: about 5 ms of a staff page's 10. Our sidebar has no badges, no collapsible
groups and no permission callbacks (``registrar.workbench.sidebar_navigation`` leaves out what the
user may not open), so the same markup is written here directly.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

GROUP = '<div class="hidden mb-1.5 has-[ol]:has-[li]:block">{}{}<ol class="flex flex-col gap-0.5 px-6">{}</ol></div>'
SEPARATOR = mark_safe('<hr class="border-t border-base-200 mx-6 my-2 dark:border-base-800" />')
TITLE = (
    '<h2 class="font-semibold flex flex-row group items-center mb-1 mx-3 py-1.5 px-3 select-none '
    'text-font-important-light text-sm dark:text-font-important-dark">{}</h2>'
)
LINK = (
    '<li><a href="{}" class="flex h-[38px] items-center -mx-3 px-3 rounded-default hover:text-primary-600 '
    'dark:hover:text-primary-500{}"><span class="material-symbols-outlined md-18 mr-3 w-[18px]">{}</span>'
    "<span>{}</span></a></li>"
)
ACTIVE = " bg-base-100 font-semibold text-primary-600 dark:bg-white/[.06] dark:text-primary-500 active"


@register.simple_tag
def staff_sidebar(navigation: list[dict[str, Any]]) -> SafeString:
    """The groups of links of ``sidebar_navigation``, in unfold's markup; the page's own link marked active."""
    groups = (
        (
            SEPARATOR if group.get("separator") else "",
            format_html(TITLE, group["title"]) if group.get("title") else "",
            format_html_join(
                "",
                LINK,
                (
                    (item["link"], ACTIVE if item.get("active") else "", item.get("icon", ""), item["title"])
                    for item in group["items"]
                ),
            ),
        )
        for group in navigation
        if group.get("items")
    )
    return format_html(
        '<div id="nav-sidebar-apps" class="h-0 grow overflow-auto" data-simplebar>{}</div>',
        format_html_join("", GROUP, groups),
    )
