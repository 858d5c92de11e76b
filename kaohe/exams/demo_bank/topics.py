"""Topic names of the demo bank."""

CF = "行政处罚法"
XK = "行政许可法"
QZ = "行政强制法"
FY = "行政复议法"
SS = "行政诉讼法"
GY = "法治政府建设实施纲要"
GK = "政府信息公开条例"
