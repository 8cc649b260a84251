from django import template

from chibo.lib.text import mask

register = template.Library()
register.filter("masked", mask)
