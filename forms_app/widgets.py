from django import forms


class LikertRadioSelect(forms.RadioSelect):
    """Radio buttons on one row with the scale's end labels beside them."""

    template_name = "forms_app/widgets/likert.html"

    def __init__(self, *args, low_label="", high_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.low_label = low_label
        self.high_label = high_label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["low_label"] = self.low_label
        context["widget"]["high_label"] = self.high_label
        return context
