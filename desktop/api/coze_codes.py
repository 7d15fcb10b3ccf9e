"""The official Coze error-code table, as diagnoses: every code, what it means, what to do.

Source: the error-code page of the Coze OpenAPI docs
(https://www.coze.cn/open/docs/developer_guides/coze_error_codes). ``CODE_KEYS`` maps each code it
lists to a diagnosis key; ``TEXTS`` holds those diagnoses (title and fix, English and Chinese,
written for someone chatting with a bot, not for the bot's developer alone). Codes seen on the wire
but missing from the page (4028) are kept too. Coze Studio's own codes live in
:mod:`desktop.api.diagnoses`.

``{region_hint}`` / ``{region_hint_zh}`` are filled in by :func:`desktop.api.diagnoses.get`.
"""

from __future__ import annotations

# code -> diagnosis key (several codes share one when the advice is the same)
CODE_KEYS: dict[int, str] = {
    4000: "bad_request",
    4001: "chat_not_found",
    4002: "conversation_not_found",
    4003: "meta_data_too_large",
    4004: "too_many_messages",
    4005: "message_invalid",
    4006: "bot_not_found",
    4007: "stream_needs_history",
    4008: "daily_limit",
    4009: "system_busy",
    4010: "prompt_too_long",
    4011: "token_balance",
    4012: "model_invalid",
    4013: "model_error",
    4014: "cannot_answer",
    4015: "bot_not_published",
    4016: "conversation_busy",
    4019: "account_overdue",
    4020: "rpm_exceeded",
    4021: "workflow_not_configured",
    4022: "model_overdue",
    4028: "quota_exhausted",  # not on the page; seen as last_error of failed chats
    4100: "auth_invalid",
    4101: "permission_denied",
    4102: "risk_blocked",
    4104: "cannot_cancel",
    4105: "sensitive_content",
    4200: "bot_not_found",
    4201: "member_exists",
    4300: "file_empty",
    4301: "file_too_many",
    4302: "file_too_large",
    4303: "file_type_unsupported",
    4304: "file_invalid",
    4314: "workflow_run_not_found",
    4315: "workflow_run_finished",
    5000: "server_error",
}

# key -> (title_en, title_zh, fix_en, fix_zh)
TEXTS: dict[str, tuple[str, str, str, str]] = {
    "bad_request": (
        "Coze rejected the request as invalid.",
        "扣子认为请求参数不正确。",
        "Check the profile's bot id, user id and custom variables. The message from Coze below "
        "says which part it did not like.",
        "请检查配置中的智能体 ID、用户 ID 和自定义变量。下方扣子返回的信息会说明哪一项有问题。",
    ),
    "chat_not_found": (
        "Coze cannot find this chat (wrong chat id, or it belongs to another account).",
        "扣子找不到这次对话（对话 ID 不对，或不属于当前账号）。",
        "Send the message again; if it keeps happening, start a new session.",
        "请重新发送消息；如果一直出现，请新建一个会话。",
    ),
    "conversation_not_found": (
        "Coze cannot find this conversation (wrong id, or it belongs to another account).",
        "扣子找不到这个会话（会话 ID 不对，或不属于当前账号）。",
        "Start a new session: the old conversation may have been deleted, or it was made with "
        "another token.",
        "请新建会话：旧会话可能已被删除，或是用另一个令牌创建的。",
    ),
    "meta_data_too_large": (
        "The request's meta data is larger than Coze allows.",
        "请求中的 meta_data 超出了扣子的限制。",
        "Use fewer or shorter meta data entries (at most 16 pairs, short keys and values).",
        "请减少或缩短 meta_data（最多 16 对，键和值都要短）。",
    ),
    "too_many_messages": (
        "The request carries more messages than Coze allows.",
        "请求附带的消息（additional_messages）超出了扣子的限制。",
        "Send a shorter history (at most 100 messages), or start a new session.",
        "请减少附带的历史消息（最多 100 条），或新建一个会话。",
    ),
    "message_invalid": (
        "Coze rejected a message of this request (unknown message id or unusable content).",
        "扣子认为请求中的某条消息无效（消息 ID 不存在或内容不符合要求）。",
        "Check the message and its attachments, then send again.",
        "请检查消息内容和附件后再发送。",
    ),
    "bot_not_found": (
        "Coze cannot find this bot.",
        "扣子找不到这个智能体（Bot）。",
        "Check the bot id (the number in the bot editor's address). The bot must be published to "
        "the API channel, and it must live on the same site as the token. {region_hint}",
        "请检查智能体 ID（智能体编辑页地址中的那串数字）。智能体需要发布到 API 渠道，并且要和令牌在"
        "同一个站点。{region_hint_zh}",
    ),
    "stream_needs_history": (
        "Coze refused a non-streaming chat that does not save its history.",
        "扣子拒绝了不保存历史记录的非流式对话。",
        "Turn on “save history” in the profile, or switch the profile back to streaming.",
        "请在配置中开启“保存历史记录”，或把配置改回流式输出。",
    ),
    "daily_limit": (
        "This bot has been used as often as it may be today (daily usage limit).",
        "这个智能体今天的使用次数已达上限。",
        "Try again tomorrow, or ask the bot's owner to raise its usage limit.",
        "请明天再试，或请智能体的所有者提高使用次数上限。",
    ),
    "system_busy": (
        "Coze is busy: too many people are using it right now.",
        "扣子当前使用人数过多，已达到系统请求上限。",
        "Wait a moment and send again.",
        "请稍等片刻再发送。",
    ),
    "prompt_too_long": (
        "The question (with the conversation so far) is longer than the bot's model accepts.",
        "问题（连同之前的对话）超出了模型能接受的长度。",
        "Shorten the question, or clear the context / start a new session so less history is sent.",
        "请缩短问题，或清除上下文、新建会话，减少发送的历史内容。",
    ),
    "token_balance": (
        "The Coze account has run out of Coze tokens (balance too low).",
        "当前账号的扣子 Token 余额不足。",
        "Top up the account on the Coze site, then try again.",
        "请在扣子网站上充值后再试。",
    ),
    "model_invalid": (
        "The bot's model is not available any more (for example, it was taken off the platform).",
        "智能体使用的模型已无法使用（例如已从平台下架）。",
        "Choose another model for the bot in the Coze editor, publish it again, then retry.",
        "请在扣子编辑器中为智能体换一个模型并重新发布，然后再试。",
    ),
    "model_error": (
        "The bot's model service reported an error.",
        "智能体的模型服务出错了。",
        "This is on the model's side, not a limit of your account: try again in a little while.",
        "这是模型服务的问题，不是账号限额：请稍后再试。",
    ),
    "cannot_answer": (
        "The bot cannot answer this question.",
        "智能体无法回答这个问题。",
        "Ask something else, or put the question differently.",
        "请换一个问题，或换一种问法。",
    ),
    "bot_not_published": (
        "The bot is not published to the API channel.",
        "智能体还没有发布到 API 渠道。",
        "In the Coze editor, click Publish and tick the “API” channel, then try again. If it is "
        "already published, check that the profile's region matches the site of the bot.",
        "请在扣子编辑器中点击“发布”，勾选“API”渠道后再试。如果已经发布，请确认配置的区域和"
        "智能体所在站点一致。",
    ),
    "conversation_busy": (
        "This conversation is still answering a previous message.",
        "这个会话还在回答上一条消息。",
        "Wait for the current answer to finish (or stop it), then send again.",
        "请等当前回答结束（或先停止它）后再发送。",
    ),
    "account_overdue": (
        "The account's pay-as-you-go balance for bot calls is used up (the account is in arrears).",
        "账号的智能体调用按量余额不足（账号已欠费）。",
        "Top up the account (Volcengine billing for Coze), then try again.",
        "请为账号充值（扣子的火山引擎计费）后再试。",
    ),
    "rpm_exceeded": (
        "Too many requests per minute: the account's purchased RPM quota is exceeded.",
        "每分钟请求数超出了账号购买的 RPM 额度。",
        "Wait a minute and send again. If it happens often, buy a higher RPM quota for the "
        "account.",
        "请等一分钟再发送。如果经常出现，请为账号购买更高的 RPM 额度。",
    ),
    "workflow_not_configured": (
        "The bot's workflow is not set up.",
        "智能体的工作流还没有配置。",
        "Configure the workflow (or chat flow) of the bot in the Coze editor and publish again.",
        "请在扣子编辑器中为智能体配置工作流（或对话流），然后重新发布。",
    ),
    "model_overdue": (
        "The model service (Volcano Ark) of this account is in arrears.",
        "该账号的模型服务（火山方舟）已欠费。",
        "Settle the outstanding balance of the model service, then try again.",
        "请结清模型服务的欠款，恢复账号后再试。",
    ),
    "quota_exhausted": (
        "The free quota of this Coze account is used up.",
        "这个扣子账号的免费额度已经用完。",
        "Upgrade the plan or add credit on the Coze site, then try again.",
        "请在扣子网站上升级套餐或充值后再试。",
    ),
    "auth_invalid": (
        "Coze did not accept the access token.",
        "扣子没有接受这个访问令牌（Token）。",
        "The token may be mistyped, revoked or expired: create a new personal access token and "
        "paste it into the profile. {region_hint}",
        "令牌可能填错、已被删除或已过期：请新建一个个人访问令牌并粘贴到配置中。{region_hint_zh}",
    ),
    "permission_denied": (
        "The token is valid but is not allowed to do this.",
        "令牌有效，但没有执行这个操作的权限。",
        "Edit the token's permissions on the Coze site (it needs at least the chat permission and "
        "access to the bot's workspace), or create a new token with the right permissions.",
        "请在扣子网站上修改令牌权限（至少需要“对话”权限和智能体所在空间的访问权），或新建一个有"
        "正确权限的令牌。",
    ),
    "risk_blocked": (
        "Coze's risk control blocked this request (unusual activity).",
        "请求被扣子的风控拦截（检测到异常活动）。",
        "Wait a while and try again. If it keeps happening, report it to Coze support with the "
        "code and the log id below.",
        "请稍后再试。如果一直出现，请带上下方的错误码和日志 ID 联系扣子客服。",
    ),
    "cannot_cancel": (
        "This answer has already finished, so it cannot be cancelled.",
        "这个回答已经结束，无法取消。",
        "Nothing to do: the answer is complete.",
        "无需处理：回答已经完成。",
    ),
    "sensitive_content": (
        "Coze found sensitive content in the bot's settings.",
        "扣子在智能体的配置中发现了敏感内容。",
        "Remove the sensitive words from the bot's persona, replies and opening message in the "
        "Coze editor, then publish again.",
        "请在扣子编辑器中删除智能体人设、回复逻辑和开场白中的敏感词，然后重新发布。",
    ),
    "member_exists": (
        "This person is already a member of the team or organisation.",
        "该成员已在企业、团队或组织中。",
        "Nothing to do: do not add them again.",
        "无需处理：请勿重复添加。",
    ),
    "file_empty": (
        "The uploaded file is empty (or was not sent as a file).",
        "上传的文件为空（或没有作为文件发送）。",
        "Check that the file exists and is not empty, then attach it again.",
        "请确认文件存在且不为空，然后重新添加附件。",
    ),
    "file_too_many": (
        "More than one file was sent in one upload.",
        "一次上传中包含了多个文件。",
        "Attach the files one at a time.",
        "请一次只上传一个文件。",
    ),
    "file_too_large": (
        "The file is larger than Coze accepts.",
        "文件大小超出了扣子的限制。",
        "Use a smaller file (or split it), then attach it again.",
        "请换一个更小的文件（或拆分文件）后重新添加。",
    ),
    "file_type_unsupported": (
        "Coze does not accept files of this type.",
        "扣子不支持这种类型的文件。",
        "Convert the file to a supported format (for example PDF, an image or plain text).",
        "请把文件转换为支持的格式（例如 PDF、图片或纯文本）。",
    ),
    "file_invalid": (
        "Coze could not read the file (it may be damaged).",
        "扣子无法读取这个文件（文件可能已损坏）。",
        "Attach another copy of the file.",
        "请换一个文件再试。",
    ),
    "workflow_run_not_found": (
        "Coze cannot find this workflow run.",
        "扣子找不到这次工作流执行记录。",
        "Check the workflow id and execute id.",
        "请检查工作流 ID 和执行 ID。",
    ),
    "workflow_run_finished": (
        "This workflow run has already ended and cannot be resumed.",
        "这次工作流执行已经结束，无法恢复运行。",
        "Start the workflow again instead of resuming it.",
        "请重新运行工作流，而不是恢复运行。",
    ),
    "server_error": (
        "Coze had an internal problem.",
        "扣子服务器内部出错。",
        "This is on Coze's side. Try again in a minute; if it persists, report it to Coze support "
        "with the log id below.",
        "这是扣子那边的问题。请过一分钟再试；如果一直出现，请带上下方的日志 ID 联系扣子客服。",
    ),
}
