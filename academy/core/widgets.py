"""GOV.UK form widgets that render valid HTML where govuk-frontend-wtf's own do not."""

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSelect


class DateInput(GovDateInput):
    """Day, month and year inputs; a required date marks the three inputs required, not their wrapper.

    govuk-frontend-wtf puts `required` on the `div` around the inputs, where HTML does not allow it.
    """

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None and len(field.raw_data) != 3:
            # A post with more or fewer than three parts (not from this page): shown back as three boxes.
            field.raw_data = [*field.raw_data, "", "", ""][:3]
        params = super().map_gov_params(field, **kwargs)
        if params["attributes"].pop("required", None):
            for item in params["items"]:
                item["attributes"] = {**(item.get("attributes") or {}), "required": "required"}
        return params


class Select(GovSelect):
    """A select whose first option, when the field is required, is an empty placeholder ("Choose …").

    HTML requires that of a required select; choosing the placeholder sends an empty value, which the
    field's InputRequired refuses with its own message.
    """

    def __init__(self, placeholder: str = "Choose …"):
        super().__init__()
        self.placeholder = placeholder

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        items = params["items"]
        if params["attributes"].get("required") and not (items and items[0]["value"] in ("", None)):
            chosen = any(item["selected"] for item in items)
            params["items"] = [{"text": self.placeholder, "value": "", "selected": not chosen}, *items]
        return params
