"""``{% fragment "name" page [vary …] %}…{% endfragment %}``: a cached part of a page.

Like Django's ``{% cache %}``, but keyed by ``interlink_blocks.fragments``: the page's
live revision, the language and the database's fragment generation, so a change to what
the part shows is visible at once in every process. Previews render fresh.
"""

from django import template

from .. import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, page, vary):
        self.nodelist = nodelist
        self.name = name
        self.page = page
        self.vary = vary

    def render(self, context):
        page = self.page.resolve(context)
        vary = [value.resolve(context) for value in self.vary]
        return fragments.cached_html(
            context.get("request"),
            page,
            self.name.resolve(context),
            lambda: self.nodelist.render(context),
            vary,
        )


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes a name and a page")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    name, page, *vary = (parser.compile_filter(bit) for bit in bits[1:])
    return FragmentNode(nodelist, name, page, vary)
