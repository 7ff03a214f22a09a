"""REST API of freshman registration, one module per resource: fetch with permission, call one service, respond.

``records`` (录取数据 and its decisions), ``imports`` (录取数据导入), ``batches`` (入学资格审查名单)
and ``corrections`` (录取数据更正申请); ``urls`` routes them under ``/api/enrollment/``.
"""
