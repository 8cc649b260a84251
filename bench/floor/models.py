from django.db import models


class Row(models.Model):
    name = models.CharField(max_length=100)
    value = models.IntegerField()

    class Meta:
        app_label = "floor"
        db_table = "row"
        managed = False

    def __str__(self) -> str:
        return self.name
