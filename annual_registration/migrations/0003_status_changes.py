"""学籍异动 (issue 11, items 3-5): the cases, their lists, and what each kind does, seeded (ANN-4, ANN-5)."""

import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models

# Plain data, safe to import: a frozen copy would drift from what the product documents.
from annual_registration.change_kinds import DEFAULT_KIND_SETTINGS


def seed(apps, schema_editor):
    ChangeKindSetting = apps.get_model("annual_registration", "ChangeKindSetting")
    existing = set(ChangeKindSetting.objects.values_list("kind", flat=True))
    ChangeKindSetting.objects.bulk_create(
        ChangeKindSetting(**values) for values in DEFAULT_KIND_SETTINGS if values["kind"] not in existing
    )


class Migration(migrations.Migration):

    dependencies = [
        ('annual_registration', '0002_records_identity_reports'),
        ('registrar', '0010_student_grade_year_status_change_lists'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ChangeKindSetting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('01', '升级'), ('02', '留级'), ('03', '降级'), ('04', '跳级'), ('11', '休学'), ('12', '复学'), ('13', '停学'), ('17', '恢复学籍'), ('18', '取消学籍'), ('19', '保留学籍'), ('21', '转学（转出）'), ('22', '转学（转入）'), ('23', '转专业'), ('31', '退学'), ('42', '开除学籍'), ('51', '死亡'), ('99', '其他')], max_length=2, unique=True, verbose_name='异动类别')),
                ('transition', models.CharField(blank=True, help_text='批准后学生学籍状态如何变化；留空表示学籍状态不变（须为在籍）', max_length=32, verbose_name='学籍状态变更')),
                ('in_school', models.BooleanField(default=True, help_text='批准后学生是否仍在校学习', verbose_name='在校')),
                ('changes_college', models.BooleanField(default=False, verbose_name='变更院系')),
                ('changes_major', models.BooleanField(default=False, verbose_name='变更专业')),
                ('changes_grade', models.BooleanField(default=False, verbose_name='变更年级')),
                ('changes_expected_graduation_date', models.BooleanField(default=False, verbose_name='变更预计毕业日期')),
                ('changes_program_years', models.BooleanField(default=False, verbose_name='变更学制')),
                ('needs_period', models.BooleanField(default=False, help_text='如休学、保留学籍', verbose_name='须填写起止日期')),
                ('needs_other_school', models.BooleanField(default=False, help_text='转学：转入须填写原学校，转出须填写去向学校', verbose_name='须填写转入（转出）学校')),
                ('hidden_under_credit_system', models.BooleanField(default=False, help_text='实行学分制的学校无需标注留级、降级、跳级（N12）；取消勾选即可使用', verbose_name='学分制学校不显示')),
                ('enabled', models.BooleanField(default=True, verbose_name='启用')),
            ],
            options={
                'verbose_name': '异动类别设置',
                'verbose_name_plural': '异动类别设置',
                'ordering': ['kind'],
            },
        ),
        migrations.CreateModel(
            name='ChangeList',
            fields=[
            ],
            options={
                'verbose_name': '学籍异动名单',
                'verbose_name_plural': '学籍异动名单',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('registrar.batch',),
        ),
        migrations.CreateModel(
            name='StatusChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('01', '升级'), ('02', '留级'), ('03', '降级'), ('04', '跳级'), ('11', '休学'), ('12', '复学'), ('13', '停学'), ('17', '恢复学籍'), ('18', '取消学籍'), ('19', '保留学籍'), ('21', '转学（转出）'), ('22', '转学（转入）'), ('23', '转专业'), ('31', '退学'), ('42', '开除学籍'), ('51', '死亡'), ('99', '其他')], max_length=2, verbose_name='异动类别')),
                ('state', django_fsm.FSMField(choices=[('draft', '草稿'), ('submitted', '待教务处审批'), ('approved', '已批准，待学信网标注'), ('reported', '已在学信网标注'), ('returned', '已退回'), ('withdrawn', '已撤回')], default='draft', max_length=16, protected=True, verbose_name='办理状态')),
                ('reason', models.TextField(verbose_name='异动原因')),
                ('period_start', models.DateField(blank=True, null=True, verbose_name='起始日期')),
                ('period_end', models.DateField(blank=True, null=True, verbose_name='截止日期')),
                ('other_school', models.CharField(blank=True, max_length=100, verbose_name='转入（转出）学校')),
                ('values_before', models.JSONField(blank=True, default=dict, verbose_name='异动前')),
                ('values_after', models.JSONField(blank=True, default=dict, verbose_name='异动后')),
                ('comment', models.TextField(blank=True, verbose_name='审批意见')),
                ('decision_date', models.DateField(blank=True, null=True, verbose_name='学籍处理日期')),
                ('document_number', models.CharField(blank=True, max_length=100, verbose_name='文号')),
                ('document_date', models.DateField(blank=True, help_text='处理决定的发文日期；未填写时按学籍处理日期', null=True, verbose_name='发文日期')),
                ('document', models.FileField(blank=True, upload_to='status_changes/%Y/', verbose_name='处理决定文件')),
                ('period_lapsed_on', models.DateField(blank=True, help_text='休学或保留学籍期满而未办理复学（恢复学籍）的日期；由教务处处理，不自动退学', null=True, verbose_name='期满未复学（待处理）')),
                ('period_closed_on', models.DateField(blank=True, help_text='办理复学、恢复学籍或学籍注销的日期', null=True, verbose_name='期满办结日期')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='填报时间')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='提交时间')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='审批时间')),
                ('reported_at', models.DateTimeField(blank=True, null=True, verbose_name='学信网标注时间')),
                ('batch', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='status_changes', to='registrar.batch', verbose_name='异动名单')),
                ('college', models.ForeignKey(help_text='提出异动时学生所在院系', on_delete=django.db.models.deletion.PROTECT, related_name='status_changes', to='registrar.college', verbose_name='申请院系')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='填报人')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审批人')),
                ('student', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='status_changes', to='registrar.student', verbose_name='学生')),
            ],
            options={
                'verbose_name': '学籍异动',
                'verbose_name_plural': '学籍异动',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['state', 'college'], name='annual_regi_state_f30974_idx'), models.Index(fields=['student', 'state'], name='annual_regi_student_67a3b1_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('state__in', ['draft', 'submitted', 'returned'])), fields=('student',), name='status_change_one_open_per_student', violation_error_message='该学生已有一项未办结的学籍异动')],
            },
            bases=(django_fsm.FSMModelMixin, models.Model),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
