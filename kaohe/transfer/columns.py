"""The column names (with the synonyms offices use) of the indicator table — the task
breakdown table of seed 000 and its many local variants."""

INDICATOR_COLUMNS = {
    "code": ("编码", "指标编码", "编号", "代码"),
    "l1": ("一级指标", "一级指标名称"),
    "l2": ("二级指标", "二级指标名称"),
    "l3": ("三级指标", "三级指标名称"),
    "content": ("考核内容", "评价内容", "内容"),
    "requirement": ("考核要求", "评分标准", "考核标准", "评分细则", "要求"),
    "max_score": ("分值", "分数", "标准分", "满分"),
    "method": ("评分方式", "计分方式", "评分方法"),
    "component": ("所属考核类别", "考核类别"),
    "applies": ("适用对象类别", "适用对象", "适用类别", "适用范围"),
    "responsible": ("责任单位", "牵头单位", "责任部门", "承办单位", "负责单位"),
    "materials": ("资料准备要求", "资料准备", "准备资料", "资料要求", "佐证材料", "需提供资料"),
    "deadline": ("提交时限", "完成时限", "时限", "完成时间", "截止时间", "截止日期"),
    "veto_grade": ("否决后最高等次",),
}
