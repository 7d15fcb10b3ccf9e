<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <location filename="../../desktop/app.py" line="1"/>
        <source>Coze Desktop cannot open its chat history:

{error}

File: {path}</source>
        <translation>扣子桌面版无法打开聊天记录：

{error}

文件：{path}</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="1"/>
        <source>Quit, rename or move that file (it is kept for recovery) and start again for a fresh history.</source>
        <translation>请退出，把该文件改名或移走（文件会保留，便于恢复），然后重新启动以使用全新的聊天记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="1"/>
        <source>The log folder {path} cannot be written ({error}): this run logs to the terminal only.</source>
        <translation>无法写入日志文件夹 {path}（{error}）：本次运行的日志只输出到终端。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="1"/>
        <source>The settings folder {path} cannot be written ({error}): settings changed in this run are not kept.</source>
        <translation>无法写入设置文件夹 {path}（{error}）：本次运行中修改的设置不会被保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="1"/>
        <source>Settings: {warning}</source>
        <translation>设置：{warning}</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <location filename="../../desktop/ui/kit/chrome.py" line="134"/>
        <source>Token kept for this session only: no system keyring is available, so tokens stay in memory and are never written to disk.</source>
        <translation>令牌仅在本次运行中保留：系统密钥环不可用，令牌只保存在内存中，绝不会写入磁盘。</translation>
    </message>
</context>
<context>
    <name>ChatFlow</name>
    <message>
        <location filename="../../desktop/ui/window/chat_flow.py" line="1"/>
        <source>Could not save your question to the chat history, so it was not sent: {error}</source>
        <translation>无法把你的问题保存到聊天记录，因此没有发送：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/chat_flow.py" line="1"/>
        <source>Still not saved: the chat history cannot be written yet.</source>
        <translation>仍未保存：聊天记录暂时无法写入。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/chat_flow.py" line="1"/>
        <source>The answer is saved to the chat history.</source>
        <translation>回答已保存到聊天记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/chat_flow.py" line="1"/>
        <source>Open the profile…</source>
        <translation>打开配置…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/chat_flow.py" line="1"/>
        <source>No token is saved for “{name}”. Add it in the bot&apos;s profile.</source>
        <translation>“{name}”还没有保存令牌。请在这个智能体的配置中添加。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/chat_flow.py" line="1"/>
        <source>Not sent yet: read the warning, then send again to go on.</source>
        <translation>尚未发送：请先阅读上方警告，再次发送即可继续。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/chat_flow.py" line="88"/>
        <source>A reply is still streaming. Stop it (Esc) before sending again.</source>
        <translation>回复仍在输出中。请先停止（Esc）再发送。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/chat_flow.py" line="100"/>
        <source>This chat&apos;s bot profile no longer exists.</source>
        <translation>这个会话的智能体配置已不存在。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/chat_flow.py" line="109"/>
        <source>What can you do?</source>
        <translation>你能做什么？</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/chat_flow.py" line="109"/>
        <source>Introduce yourself briefly.</source>
        <translation>简单介绍一下你自己。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/chat_flow.py" line="110"/>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/chat_flow.py" line="111"/>
        <source>Type a message below, or start with one of these:</source>
        <translation>在下方输入消息，或从这些问题开始：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/chat_flow.py" line="126"/>
        <source>Wait for the reply to finish first.</source>
        <translation>请等待回复完成。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/chat_flow.py" line="156"/>
        <source>Editing your question: press Enter to send it again.</source>
        <translation>正在编辑你的问题：按 Enter 重新发送。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/chat_flow.py" line="163"/>
        <source>Copied to the clipboard.</source>
        <translation>已复制到剪贴板。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/chat_flow.py" line="1"/>
        <source>Not sent: the attachments break a limit (see above the input).</source>
        <translation>未发送：附件超出了限制（见输入框上方）。</translation>
    </message>
</context>
<context>
    <name>ChatHeader</name>
    <message>
        <location filename="../../desktop/ui/kit/chrome.py" line="194"/>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/kit/chrome.py" line="195"/>
        <source>Clear context</source>
        <translation>清除上下文</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/kit/chrome.py" line="197"/>
        <source>Start fresh: the bot forgets the earlier messages of this chat</source>
        <translation>重新开始：智能体将忘记本会话之前的消息</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/kit/chrome.py" line="199"/>
        <source>Diagnose</source>
        <translation>诊断</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/kit/chrome.py" line="200"/>
        <source>Check this bot profile step by step</source>
        <translation>逐项检查这个智能体配置</translation>
    </message>
</context>
<context>
    <name>SidebarButton</name>
    <message>
        <location filename="../../desktop/ui/kit/chrome.py" line="173"/>
        <source>Show the sidebar</source>
        <translation>显示侧边栏</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../desktop/ui/chat/view.py" line="1"/>
        <source>Scroll to the newest message</source>
        <translation>滚动到最新的消息</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/view.py" line="1"/>
        <source>↓  Jump to latest</source>
        <translation>↓  跳到最新</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="1"/>
        <source>Save again</source>
        <translation>重新保存</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="1"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="1"/>
        <source>Waiting for you</source>
        <translation>等你操作</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="1"/>
        <source>The bot waits for a tool&apos;s result or your reply below.</source>
        <translation>智能体在等待下方的工具结果或你的回复。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="1"/>
        <source>Open the run in Coze</source>
        <translation>在扣子中查看这次运行</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/sections.py" line="1"/>
        <source>Waiting for your result below…</source>
        <translation>正在等待你在下方给出结果…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/sections.py" line="1"/>
        <source>Client-side tool: {name}</source>
        <translation>客户端工具：{name}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/sections.py" line="1"/>
        <source>Question from the bot: {name}</source>
        <translation>智能体的提问：{name}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/tool_request.py" line="1"/>
        <source>Your reply</source>
        <translation>你的回复</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/tool_request.py" line="1"/>
        <source>The bot is waiting for you: {name}</source>
        <translation>智能体在等你：{name}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/tool_request.py" line="1"/>
        <source>The tool&apos;s result (text or JSON)</source>
        <translation>工具的结果（文本或 JSON）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/tool_request.py" line="1"/>
        <source>Enter a result for {name}.</source>
        <translation>请填写 {name} 的结果。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/tool_request.py" line="1"/>
        <source>The result for {name} looks like JSON but is not valid: {error}</source>
        <translation>{name} 的结果看起来是 JSON，但格式不正确：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/tool_request.py" line="1"/>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/tool_request.py" line="1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/bubble.py" line="1"/>
        <source>… (the beginning only: %1 characters in all; Copy copies the whole message)</source>
        <translation>……（仅显示开头部分：共 %1 个字符；“复制”会复制整条消息）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/view.py" line="329"/>
        <source>Load earlier messages ({n} more)</source>
        <translation>加载更早的消息（还有 {n} 条）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/bubble.py" line="265"/>
        <source>Context cleared</source>
        <translation>上下文已清除</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/message.py" line="59"/>
        <source>en</source>
        <comment>language code of this translation</comment>
        <translation>zh</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/message.py" line="101"/>
        <source>{n} tokens</source>
        <translation>{n} 个 token</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/message.py" line="103"/>
        <source>(in {i} · out {o})</source>
        <translation>（输入 {i} · 输出 {o}）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/message.py" line="112"/>
        <source>first token {t}</source>
        <translation>首字 {t}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/message.py" line="115"/>
        <source>total {t}</source>
        <translation>总计 {t}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/message.py" line="147"/>
        <source>code {code}</source>
        <translation>错误码 {code}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="84"/>
        <source>The request failed.</source>
        <translation>请求失败。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="93"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="94"/>
        <source>Open in log</source>
        <translation>在日志中查看</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="95"/>
        <source>Diagnose profile</source>
        <translation>诊断配置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="130"/>
        <source>Answering…</source>
        <translation>回答中…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="130"/>
        <source>The answer is streaming.</source>
        <translation>回答正在流式输出。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="131"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="131"/>
        <source>You stopped this answer.</source>
        <translation>你停止了这条回答。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="132"/>
        <source>Interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="132"/>
        <source>The answer was cut off before it finished; the partial text is kept.</source>
        <translation>回答在完成前被中断；已保留部分内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/message.py" line="151"/>
        <location filename="../../desktop/ui/chat/render/panels.py" line="153"/>
        <source>log id</source>
        <translation>日志 ID</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="154"/>
        <source>click to copy</source>
        <translation>点击复制</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="220"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="221"/>
        <source>Copy the message text</source>
        <translation>复制消息文本</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="222"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="223"/>
        <source>Ask for a new answer</source>
        <translation>重新生成回答</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="224"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="225"/>
        <source>Edit this question and send it again</source>
        <translation>编辑这个问题并重新发送</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/sections.py" line="93"/>
        <source>Thinking…</source>
        <translation>思考中…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/sections.py" line="95"/>
        <source>Thought process</source>
        <translation>思考过程</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/sections.py" line="125"/>
        <source>Arguments</source>
        <translation>参数</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/sections.py" line="129"/>
        <source>Waiting for the result…</source>
        <translation>等待结果…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/sections.py" line="132"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/sections.py" line="149"/>
        <source>Plugin call: {name}</source>
        <translation>插件调用：{name}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/sections.py" line="178"/>
        <source>Waiting for the first token</source>
        <translation>等待首个字</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/panels.py" line="247"/>
        <source>Ask the question again</source>
        <translation>重新提问</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/attachments.py" line="1"/>
        <source>Not uploaded: the upload did not finish</source>
        <translation>未上传：上传没有完成</translation>
    </message>
</context>
<context>
    <name>CodeBlock</name>
    <message>
        <location filename="../../desktop/ui/chat/render/markdown_view.py" line="1"/>
        <source>Showing the beginning only (%1 lines, %2 characters). Copy copies all.</source>
        <translation>仅显示开头部分（共 %1 行、%2 个字符）。“复制”会复制全部内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/embedded.py" line="1"/>
        <source>table</source>
        <comment>label of a table shown as text</comment>
        <translation>表格</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/embedded.py" line="195"/>
        <location filename="../../desktop/ui/chat/render/markdown_view.py" line="124"/>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/embedded.py" line="195"/>
        <location filename="../../desktop/ui/chat/render/markdown_view.py" line="128"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/embedded.py" line="201"/>
        <source>text</source>
        <comment>label of a code block without a language</comment>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/render/embedded.py" line="194"/>
        <location filename="../../desktop/ui/chat/render/markdown_view.py" line="129"/>
        <source>Copy the code</source>
        <translation>复制代码</translation>
    </message>
</context>
<context>
    <name>ComposerEdit</name>
    <message>
        <location filename="../../desktop/ui/chat/composer.py" line="1"/>
        <source>[Pasted text #%1: %2 characters]</source>
        <translation>[粘贴的文本 #%1：%2 个字符]</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../desktop/ui/chat/composer.py" line="170"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/composer.py" line="171"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/composer.py" line="172"/>
        <source>Stop the reply (Esc)</source>
        <translation>停止回复（Esc）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/composer.py" line="174"/>
        <source>Type a message… Enter to send, Shift+Enter for a new line</source>
        <translation>输入消息… Enter 发送，Shift+Enter 换行</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/composer.py" line="205"/>
        <source>A reply is still streaming. Stop it (Esc) before sending again.</source>
        <translation>回复仍在输出中。请先停止（Esc）再发送。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/composer.py" line="207"/>
        <source>Choose a bot first</source>
        <translation>请先选择智能体</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/composer.py" line="208"/>
        <source>Send (Enter)</source>
        <translation>发送（Enter）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/composer.py" line="1"/>
        <source>Attach</source>
        <translation>附件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/composer.py" line="1"/>
        <source>Attach files or images (you can also drop them here or paste an image)</source>
        <translation>添加文件或图片（也可以拖放到这里，或粘贴图片）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/composer.py" line="1"/>
        <source>Attach files</source>
        <translation>添加附件</translation>
    </message>
</context>
<context>
    <name>ConversationFlow</name>
    <message>
        <location filename="../../desktop/ui/window/conversation_flow.py" line="1"/>
        <source>Add a bot profile first.</source>
        <translation>请先添加一个智能体配置。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/conversation_flow.py" line="1"/>
        <source>This chat has nothing on the Coze server yet.</source>
        <translation>这个会话在扣子服务器上还没有内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/conversation_flow.py" line="1"/>
        <source>Cannot sync now: another import or sync is running, or the profile has no token.</source>
        <translation>现在无法同步：另一个导入或同步正在进行，或该配置没有令牌。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/conversation_flow.py" line="1"/>
        <source>Syncing with Coze…</source>
        <translation>正在与扣子同步…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/conversation_flow.py" line="1"/>
        <source>Sync stopped part-way: {error} — the {added} messages it brought are kept.</source>
        <translation>同步中途停止：{error}——已同步的 {added} 条消息已保留。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/conversation_flow.py" line="1"/>
        <source>Synced: {added} new messages from Coze.</source>
        <translation>已同步：从扣子带来 {added} 条新消息。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/conversation_flow.py" line="1"/>
        <source>Synced: nothing new on Coze.</source>
        <translation>已同步：扣子上没有新内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/conversation_flow.py" line="1"/>
        <source>“{title}” was deleted on the Coze server too.</source>
        <translation>“{title}”在扣子服务器上也已删除。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/conversation_flow.py" line="1"/>
        <source>Not deleted on Coze</source>
        <translation>未在扣子上删除</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/conversation_flow.py" line="1"/>
        <source>The chat “{title}” was deleted here, but the Coze server kept its conversation.</source>
        <translation>会话“{title}”已在本机删除，但扣子服务器保留了它的对话记录。</translation>
    </message>
</context>
<context>
    <name>ConversationsDialog</name>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>Reading the bot's conversations on Coze…</source>
        <translation>正在读取该智能体在扣子上的会话…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>Stopping after the page being read…</source>
        <translation>读完当前这一页后停止…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>Another import or sync is running; wait for it or stop it.</source>
        <translation>另一个导入或同步正在进行；请等待它完成或将其停止。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>This profile has no token: add one in Bot profiles.</source>
        <translation>该配置没有令牌：请在“智能体配置”中添加。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>Could not read the conversations: {error}</source>
        <translation>无法读取会话：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>Coze has no conversations of this bot made through the API.</source>
        <translation>扣子上没有通过 API 与该智能体进行的会话。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>{count} conversations on Coze, {here} already here.</source>
        <translation>扣子上有 {count} 个会话，其中 {here} 个已在本机。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>Conversation {index} of {count}: {added} messages imported…</source>
        <translation>第 {index}/{count} 个会话：已导入 {added} 条消息…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>{added} messages imported…</source>
        <translation>已导入 {added} 条消息…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>The import stopped part-way: {error}
The {added} messages imported are kept; import again to bring the rest.</source>
        <translation>导入中途停止：{error}
已导入的 {added} 条消息已保留；再次导入即可带回其余部分。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>Stopped. The {added} messages imported are kept.</source>
        <translation>已停止。已导入的 {added} 条消息已保留。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>Imported {added} new messages.</source>
        <translation>已导入 {added} 条新消息。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>(untitled)</source>
        <translation>（无标题）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>Conversation {id}</source>
        <translation>会话 {id}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>✓ here</source>
        <translation>✓ 已在本机</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>on Coze only</source>
        <translation>仅在扣子上</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>Conversations on Coze — {name}</source>
        <translation>扣子上的会话 — {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>&lt;b&gt;Conversations of “{name}” on the Coze server&lt;/b&gt;</source>
        <translation>&lt;b&gt;“{name}”在扣子服务器上的会话&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>Coze keeps what was sent with “Save the conversation on the Coze side” on, from any computer or client using this bot through the API. Importing again brings new messages only.</source>
        <translation>扣子会保存在开启“在扣子端保存对话”时发送的内容，无论来自哪台电脑或哪个通过 API 使用该智能体的客户端。再次导入只会带来新消息。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>On this computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>Import all</source>
        <translation>全部导入</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversations/view.py" line="1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
</context>
<context>
    <name>DialogFlow</name>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="1"/>
        <source>This chat no longer exists.</source>
        <translation>此会话已不存在。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="1"/>
        <source>Move the damaged file aside</source>
        <translation>移开损坏的文件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="1"/>
        <source>Move the damaged chat history aside and start a fresh one?</source>
        <translation>要把损坏的聊天记录移开并开始新的聊天记录吗？</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="1"/>
        <source>The file {path} is renamed, not deleted, and Coze Desktop closes. The next start begins a fresh history with your bot profiles. Export what you need from the damaged chats first.</source>
        <translation>文件 {path} 会被改名（不会删除），随后扣子桌面版将关闭。下次启动时会使用新的聊天记录，并保留你的智能体配置。请先从损坏的会话中导出需要的内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="1"/>
        <source>Move aside and close</source>
        <translation>移开并关闭</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="1"/>
        <source>The damaged history was moved to:
{path}</source>
        <translation>损坏的聊天记录已移至：
{path}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="1"/>
        <source>Coze Desktop closes now; start it again to go on.</source>
        <translation>扣子桌面版现在关闭；请重新启动以继续。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="1"/>
        <source>Also delete the conversation on the Coze server</source>
        <translation>同时删除扣子服务器上的会话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="1"/>
        <source>Not deleted on the Coze server: the profile has no token.</source>
        <translation>未在扣子服务器上删除：该配置没有令牌。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="1"/>
        <source>Start fresh in this chat? The bot forgets the messages so far; they stay here, above a divider.</source>
        <translation>在这个会话中重新开始？智能体会忘记之前的消息；这些消息仍保留在分隔线上方。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="1"/>
        <source>Clear context</source>
        <translation>清除上下文</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="121"/>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="122"/>
        <source>Delete chat</source>
        <translation>删除会话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="123"/>
        <source>Delete “{title}” and all its messages? This cannot be undone.</source>
        <translation>删除“{title}”及其全部消息？此操作无法撤销。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="147"/>
        <source>Export session</source>
        <translation>导出会话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="150"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown 文件 (*.md)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="150"/>
        <source>JSON (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="164"/>
        <source>Export failed: {error}</source>
        <translation>导出失败：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="168"/>
        <source>Exported to {path}</source>
        <translation>已导出到 {path}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="187"/>
        <source>About Coze Desktop</source>
        <translation>关于扣子桌面版</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="188"/>
        <source>Coze Desktop — a native desktop client for Coze (扣子) chat bots.</source>
        <translation>扣子桌面版 —— 扣子（Coze）智能体的原生桌面客户端。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="220"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="220"/>
        <source>History</source>
        <translation>聊天记录</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="220"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="220"/>
        <source>Logs</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="1"/>
        <source>Send the message</source>
        <translation>发送消息</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="1"/>
        <source>New line</source>
        <translation>换行</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/dialog_flow.py" line="1"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
</context>
<context>
    <name>DoctorDialog</name>
    <message>
        <location filename="../../desktop/ui/doctor/dialog.py" line="185"/>
        <source>Coze Desktop — profile diagnosis</source>
        <translation>扣子桌面版 —— 配置诊断</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/dialog.py" line="194"/>
        <source>Report copied to the clipboard (the token is masked).</source>
        <translation>报告已复制到剪贴板（令牌已打码）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/dialog.py" line="200"/>
        <source>Waiting…</source>
        <translation>等待中…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/dialog.py" line="200"/>
        <source>Checking…</source>
        <translation>检查中…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/dialog.py" line="200"/>
        <source>Fix:</source>
        <translation>解决方法：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/dialog.py" line="209"/>
        <source>Diagnosing &lt;b&gt;{name}&lt;/b&gt; · {url}</source>
        <translation>正在诊断 &lt;b&gt;{name}&lt;/b&gt; · {url}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/dialog.py" line="214"/>
        <source>Running check {n} of {total}…</source>
        <translation>正在进行第 {n} 项检查（共 {total} 项）…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/dialog.py" line="217"/>
        <source>Stopped before any check finished.</source>
        <translation>在任何检查完成前已停止。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/dialog.py" line="220"/>
        <source>Some checks failed: see the fixes below.</source>
        <translation>部分检查未通过：请查看下方的解决方法。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/dialog.py" line="221"/>
        <source>Works, with warnings.</source>
        <translation>可以使用，但有警告。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/dialog.py" line="221"/>
        <source>All checks passed.</source>
        <translation>全部检查通过。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/dialog.py" line="222"/>
        <source>Nothing could be checked.</source>
        <translation>无法进行任何检查。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/dialog.py" line="224"/>
        <source>Finished in {s:.1f} s.</source>
        <translation>用时 {s:.1f} 秒完成。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/dialog.py" line="228"/>
        <source>Diagnose profile</source>
        <translation>诊断配置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/dialog.py" line="229"/>
        <source>Run again</source>
        <translation>再次运行</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/dialog.py" line="230"/>
        <source>Copy report</source>
        <translation>复制报告</translation>
    </message>
</context>
<context>
    <name>DoctorPanel</name>
    <message>
        <location filename="../../desktop/ui/doctor/panel.py" line="99"/>
        <source>Testing…</source>
        <translation>测试中…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/panel.py" line="99"/>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/panel.py" line="100"/>
        <source>Check the token, region, bot, streaming and context</source>
        <translation>检查令牌、区域、智能体、流式输出和上下文</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/panel.py" line="105"/>
        <source>Fix:</source>
        <translation>解决方法：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/panel.py" line="110"/>
        <source>Running checks…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/panel.py" line="112"/>
        <source>Run a test to check this profile step by step.</source>
        <translation>运行测试，逐项检查这个配置。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/panel.py" line="114"/>
        <source>The profile changed after this test: run it again.</source>
        <translation>配置在这次测试之后已修改：请重新测试。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/panel.py" line="117"/>
        <source>Some checks failed: see the fixes below.</source>
        <translation>部分检查未通过：请查看下方的解决方法。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/panel.py" line="119"/>
        <source>Works, with warnings.</source>
        <translation>可以使用，但有警告。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/doctor/panel.py" line="120"/>
        <source>All checks passed.</source>
        <translation>全部检查通过。</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <location filename="../../desktop/ui/bridge/error_reporter.py" line="1"/>
        <source>The chat history could not be read or written.</source>
        <translation>无法读取或写入聊天记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/bridge/error_reporter.py" line="1"/>
        <source>File: {path}</source>
        <translation>文件：{path}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/bridge/error_reporter.py" line="81"/>
        <source>Coze Desktop</source>
        <translation>扣子桌面版</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/bridge/error_reporter.py" line="82"/>
        <source>Something went wrong inside Coze Desktop.</source>
        <translation>扣子桌面版内部出错了。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/bridge/error_reporter.py" line="94"/>
        <source>({n} errors so far)</source>
        <translation>（目前共 {n} 个错误）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/bridge/error_reporter.py" line="96"/>
        <source>Details are in the log file: {path}</source>
        <translation>详细信息见日志文件：{path}</translation>
    </message>
</context>
<context>
    <name>ExchangeDetail</name>
    <message>
        <location filename="../../desktop/ui/logdock/detail.py" line="77"/>
        <source>Body</source>
        <translation>正文</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/detail.py" line="88"/>
        <source>Waiting for the response…</source>
        <translation>等待响应…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/detail.py" line="91"/>
        <source>[body truncated: only the first part was kept]</source>
        <translation>[正文已截断：只保留了开头部分]</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/detail.py" line="102"/>
        <source>Fix:</source>
        <translation>解决方法：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/detail.py" line="114"/>
        <source>HTTP status</source>
        <translation>HTTP 状态</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/detail.py" line="115"/>
        <source>Coze code</source>
        <translation>扣子错误码</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/detail.py" line="116"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/detail.py" line="117"/>
        <source>Log ID</source>
        <translation>日志 ID</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/detail.py" line="118"/>
        <source>Error type</source>
        <translation>错误类型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/detail.py" line="119"/>
        <source>Attempt</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/detail.py" line="123"/>
        <source>Request</source>
        <translation>请求</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/detail.py" line="123"/>
        <source>Response</source>
        <translation>响应</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/detail.py" line="123"/>
        <source>Timing</source>
        <translation>耗时分解</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/detail.py" line="124"/>
        <source>Diagnosis</source>
        <translation>诊断</translation>
    </message>
</context>
<context>
    <name>LogBar</name>
    <message>
        <location filename="../../desktop/ui/logdock/filter_bar.py" line="182"/>
        <source>Session {id}</source>
        <translation>会话 {id}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/filter_bar.py" line="199"/>
        <source>Errors only</source>
        <translation>仅显示错误</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/filter_bar.py" line="200"/>
        <source>All profiles</source>
        <translation>全部配置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/filter_bar.py" line="201"/>
        <source>All sessions</source>
        <translation>全部会话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/filter_bar.py" line="202"/>
        <source>Filter: path, status, code, log ID…</source>
        <translation>筛选：路径、状态、错误码、日志 ID…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/filter_bar.py" line="203"/>
        <source>Copy as cURL</source>
        <translation>复制为 cURL</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/filter_bar.py" line="203"/>
        <source>Copy log ID</source>
        <translation>复制日志 ID</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/filter_bar.py" line="204"/>
        <source>Copy support bundle</source>
        <translation>复制支持信息包</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/filter_bar.py" line="204"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/filter_bar.py" line="205"/>
        <source>Go to message</source>
        <translation>跳转到消息</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/filter_bar.py" line="205"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/filter_bar.py" line="208"/>
        <source>Copy as cURL (token as $COZE_API_TOKEN)</source>
        <translation>复制为 cURL（令牌写作 $COZE_API_TOKEN）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/filter_bar.py" line="209"/>
        <source>Copy as cURL with the real token…</source>
        <translation>复制为包含真实令牌的 cURL…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/filter_bar.py" line="210"/>
        <source>Selected requests as HAR…</source>
        <translation>所选请求导出为 HAR…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/filter_bar.py" line="211"/>
        <source>Selected requests as JSON lines…</source>
        <translation>所选请求导出为 JSON Lines…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/filter_bar.py" line="212"/>
        <source>All shown requests as HAR…</source>
        <translation>所有显示的请求导出为 HAR…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/filter_bar.py" line="213"/>
        <source>All shown requests as JSON lines…</source>
        <translation>所有显示的请求导出为 JSON Lines…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/filter_bar.py" line="217"/>
        <source>Log ID, code, message, region, bot ID, times and a masked cURL command — what Coze support asks for</source>
        <translation>日志 ID、错误码、消息、区域、智能体 ID、时间和打码的 cURL 命令 —— 扣子技术支持需要的信息</translation>
    </message>
</context>
<context>
    <name>LogDock</name>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="200"/>
        <source>Copied as cURL (the token is $COZE_API_TOKEN).</source>
        <translation>已复制为 cURL（令牌写作 $COZE_API_TOKEN）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="207"/>
        <source>The token of this request is not available.</source>
        <translation>这个请求的令牌不可用。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="209"/>
        <source>Copy with the real token?</source>
        <translation>要复制包含真实令牌的命令吗？</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="210"/>
        <source>The command will contain your access token in plain text. Anyone who sees it can use your bot and your quota. Copy it anyway?</source>
        <translation>命令中会包含明文的访问令牌。任何看到它的人都能使用你的智能体和额度。仍要复制吗？</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="224"/>
        <source>Copied as cURL with the real token: keep it private.</source>
        <translation>已复制包含真实令牌的 cURL：请妥善保管。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="229"/>
        <source>Copied the log ID.</source>
        <translation>已复制日志 ID。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="234"/>
        <source>Copied the support bundle (token masked).</source>
        <translation>已复制支持信息包（令牌已打码）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="251"/>
        <source>Log cleared.</source>
        <translation>日志已清空。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="263"/>
        <source>Network log</source>
        <translation>网络日志</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="264"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="264"/>
        <source>Profile</source>
        <translation>配置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="264"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="264"/>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="265"/>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="265"/>
        <source>Coze code</source>
        <translation>扣子错误码</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="265"/>
        <source>Duration</source>
        <translation>耗时</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="265"/>
        <source>TTFB</source>
        <translation>首字节</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="266"/>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/dock.py" line="266"/>
        <source>Log ID</source>
        <translation>日志 ID</translation>
    </message>
</context>
<context>
    <name>LogExporter</name>
    <message>
        <location filename="../../desktop/ui/logdock/export.py" line="90"/>
        <source>Nothing to export.</source>
        <translation>没有可导出的内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/export.py" line="92"/>
        <source>Export network log</source>
        <translation>导出网络日志</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/export.py" line="95"/>
        <source>HAR files (*.har)</source>
        <translation>HAR 文件 (*.har)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/export.py" line="95"/>
        <source>JSON lines (*.jsonl)</source>
        <translation>JSON Lines 文件 (*.jsonl)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/export.py" line="109"/>
        <source>Export failed: {error}</source>
        <translation>导出失败：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/export.py" line="111"/>
        <source>Exported {n} request(s) to {path}</source>
        <translation>已将 {n} 个请求导出到 {path}</translation>
    </message>
</context>
<context>
    <name>LogFlow</name>
    <message>
        <location filename="../../desktop/ui/window/log_flow.py" line="63"/>
        <source>That request is no longer in the network log.</source>
        <translation>该请求已不在网络日志中。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/log_flow.py" line="79"/>
        <source>This request does not belong to a chat.</source>
        <translation>这个请求不属于任何对话。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/log_flow.py" line="97"/>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="1"/>
        <source>This chat is damaged: start a new chat</source>
        <translation>此会话已损坏：请新建会话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="1"/>
        <source>{n} of this chat's messages could not be read</source>
        <translation>此会话有 {n} 条消息无法读取</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="1"/>
        <source>This chat's messages could not be read</source>
        <translation>此会话的消息无法读取</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="1"/>
        <source>{what}: part of the chat history file is damaged ({path}). Other chats are not affected. Export what is still readable, then move the damaged file aside to start a fresh history (the file is kept, renamed).</source>
        <translation>{what}：聊天记录文件有一部分已损坏（{path}）。其他会话不受影响。请先导出仍可读取的内容，然后把损坏的文件移开，开始新的聊天记录（文件会改名保留）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="1"/>
        <source>Export what is readable…</source>
        <translation>导出可读取的内容…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="1"/>
        <source>Move the damaged file aside…</source>
        <translation>移开损坏的文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="1"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="1"/>
        <source>Coze did not send this bot's name and avatar: {error}. Diagnose tells why.</source>
        <translation>扣子没有返回此智能体的名称和头像：{error}。点击“诊断”查看原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="231"/>
        <source>Add a bot profile first</source>
        <translation>请先添加智能体配置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="250"/>
        <source>Coze Desktop</source>
        <translation>扣子桌面版</translation>
    </message>
</context>
<context>
    <name>NetworkSettings</name>
    <message>
        <location filename="../../desktop/ui/settings/network.py" line="111"/>
        <source>The proxy URL must look like http://host:port or socks5://host:port.</source>
        <translation>代理地址应形如 http://host:port 或 socks5://host:port。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/network.py" line="93"/>
        <source>The proxy URL must not contain a user name or password: Coze Desktop does not store passwords in plain text. Set a proxy that needs a password as the system proxy (or HTTPS_PROXY); Coze Desktop uses it without storing it.</source>
        <translation>代理地址中不能包含用户名或密码：Coze Desktop 不会以明文保存密码。需要密码的代理请设置为系统代理（或 HTTPS_PROXY），Coze Desktop 会直接使用它而不保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/network.py" line="113"/>
        <source>Enter the proxy URL, or choose another proxy mode.</source>
        <translation>请输入代理地址，或选择其他代理方式。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/network.py" line="127"/>
        <source>Testing the connection…</source>
        <translation>正在测试连接…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/network.py" line="136"/>
        <source>Fix:</source>
        <translation>解决方法：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/network.py" line="143"/>
        <source>&amp;Proxy:</source>
        <translation>代理(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/network.py" line="144"/>
        <source>Proxy &amp;URL:</source>
        <translation>代理地址(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/network.py" line="145"/>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/network.py" line="146"/>
        <source>Check the proxy and whether Coze answers through it</source>
        <translation>检查代理，以及通过它能否连上扣子</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/network.py" line="148"/>
        <source>System / environment proxy</source>
        <translation>系统 / 环境变量代理</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/network.py" line="148"/>
        <source>No proxy</source>
        <translation>不使用代理</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/network.py" line="149"/>
        <source>Custom HTTP or SOCKS proxy</source>
        <translation>自定义 HTTP 或 SOCKS 代理</translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="193"/>
        <source>My Coze bot</source>
        <translation>我的扣子智能体</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="224"/>
        <source>Delete profile</source>
        <translation>删除配置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="225"/>
        <source>Delete “{name}” and its {count} chat(s)? This cannot be undone.</source>
        <translation>删除“{name}”及其 {count} 个会话？此操作无法撤销。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="272"/>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="319"/>
        <source>Import profiles</source>
        <translation>导入配置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="324"/>
        <source>Export profiles</source>
        <translation>导出配置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="332"/>
        <source>Profile files (*.json)</source>
        <translation>配置文件 (*.json)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="342"/>
        <source>Import failed: {error}</source>
        <translation>导入失败：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="351"/>
        <source>Imported {n} profile(s). Add their tokens before chatting.</source>
        <translation>已导入 {n} 个配置。聊天前请为它们添加令牌。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="362"/>
        <source>Export failed: {error}</source>
        <translation>导出失败：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="364"/>
        <source>Exported {n} profile(s) to {file} (tokens are not included).</source>
        <translation>已将 {n} 个配置导出到 {file}（不包含令牌）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="388"/>
        <source>Bot profiles</source>
        <translation>智能体配置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="390"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="391"/>
        <source>Duplicate</source>
        <translation>创建副本</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="392"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="393"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="394"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="395"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="396"/>
        <source>Save all profiles to a JSON file (without tokens)</source>
        <translation>把所有配置保存为 JSON 文件（不含令牌）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="190"/>
        <source>Unsaved profile</source>
        <translation>配置未保存</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="190"/>
        <source>The new profile “{name}” is not saved yet: {problems}</source>
        <translation>新配置“{name}”还没有保存：{problems}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/dialog.py" line="190"/>
        <source>Keep editing</source>
        <translation>继续编辑</translation>
    </message>
</context>
<context>
    <name>ProfileForm</name>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="1"/>
        <source>Local tools must be a JSON object of texts, e.g. {&quot;get_local_time&quot;: &quot;10:30&quot;}.</source>
        <translation>本地工具必须是值为文本的 JSON 对象，例如 {"get_local_time": "10:30"}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="1"/>
        <source>Local tools: a fixed result per client-side tool (a JSON object):</source>
        <translation>本地工具：为每个客户端工具设定固定结果（JSON 对象）：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="1"/>
        <source>Submit these results without asking (for demo and test bots)</source>
        <translation>不询问直接提交这些结果（用于演示和测试智能体）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="1"/>
        <source>A chatflow needs its app id (or the bot id it runs in).</source>
        <translation>对话流需要填写所属应用 ID（或运行它的智能体 ID）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="1"/>
        <source>The chatflow parameters must be a JSON object, e.g. {&quot;city&quot;: &quot;北京&quot;}.</source>
        <translation>对话流参数必须是 JSON 对象，例如 {"city": "北京"}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="1"/>
        <source>&amp;Workflow ID:</source>
        <translation>工作流 ID(&amp;W)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="1"/>
        <source>&amp;App ID:</source>
        <translation>应用 ID(&amp;A)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="1"/>
        <source>Only for a chatflow (workflows/chat)</source>
        <translation>仅用于对话流（workflows/chat）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="1"/>
        <source>The chatflow&apos;s app (or fill in the bot id)</source>
        <translation>对话流所属的应用（或填写智能体 ID）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="1"/>
        <source>Chatflow parameters (a JSON object):</source>
        <translation>对话流参数（JSON 对象）：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="189"/>
        <source>Give the profile a name.</source>
        <translation>请为配置命名。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="191"/>
        <source>Enter the bot id (the number in the bot&apos;s URL).</source>
        <translation>请输入智能体 ID（智能体网址中的那串数字）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="194"/>
        <source>Enter the base URL of your Coze Studio server (http://… or https://…).</source>
        <translation>请输入你的 Coze Studio 服务器地址（http://… 或 https://…）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="289"/>
        <source>The base URL must not contain a user name or password: the profile signs in with its access token, kept in the system keyring.</source>
        <translation>接口地址中不能包含用户名或密码：配置使用访问令牌登录，令牌保存在系统钥匙串中。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="292"/>
        <source>The base URL&apos;s port must be a number from 1 to 65535.</source>
        <translation>接口地址的端口必须是 1 到 65535 之间的数字。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="210"/>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="210"/>
        <source>&amp;Region:</source>
        <translation>区域(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="210"/>
        <source>Base &amp;URL:</source>
        <translation>服务地址(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="210"/>
        <source>&amp;Bot ID:</source>
        <translation>智能体 ID(&amp;B)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="211"/>
        <source>U&amp;ser ID:</source>
        <translation>用户 ID(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="211"/>
        <source>&amp;Token:</source>
        <translation>令牌(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="217"/>
        <source>coze.cn (China)</source>
        <translation>coze.cn（中国）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="218"/>
        <source>coze.com (International)</source>
        <translation>coze.com（国际）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="219"/>
        <source>Custom base URL (Coze Studio)</source>
        <translation>自定义服务地址（Coze Studio）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="222"/>
        <source>e.g. Weather helper</source>
        <translation>例如：天气助手</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="227"/>
        <source>Coze keeps conversations per user id; the default is generated once per profile.</source>
        <translation>扣子按用户 ID 区分会话；默认值为每个配置生成一次。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="230"/>
        <source>Stream replies (typing effect)</source>
        <translation>流式回复（逐字输出）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="232"/>
        <source>Save the conversation on the Coze side (auto_save_history)</source>
        <translation>在扣子端保存对话（auto_save_history）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="234"/>
        <source>Custom variables (sent as custom_variables):</source>
        <translation>自定义变量（作为 custom_variables 发送）：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="235"/>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="235"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="236"/>
        <source>Add variable</source>
        <translation>添加变量</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="237"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="238"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="239"/>
        <source>Show or hide the token</source>
        <translation>显示或隐藏令牌</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="279"/>
        <source>The token is stored in the system keyring only, never in a file.</source>
        <translation>令牌只保存在系统密钥环中，绝不会写入文件。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="280"/>
        <source>The token is kept in memory for this session only.</source>
        <translation>令牌只在本次运行中保存在内存里。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="284"/>
        <source>Saved in the system keyring. Paste a new token to replace it</source>
        <translation>已保存在系统密钥环中。粘贴新令牌即可替换</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="286"/>
        <source>Kept for this session. Paste a new token to replace it</source>
        <translation>仅在本次运行中保留。粘贴新令牌即可替换</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="287"/>
        <source>Paste your personal access token (pat_…)</source>
        <translation>粘贴你的个人访问令牌（pat_…）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="291"/>
        <source>Spaces and line breaks around the token will be removed.</source>
        <translation>令牌前后的空格和换行会被去掉。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="292"/>
        <source>The “Bearer ” prefix will be removed; the app adds it itself.</source>
        <translation>“Bearer ”前缀会被去掉；应用会自动添加。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="293"/>
        <source>⚠ The token contains spaces: it was probably copied incompletely.</source>
        <translation>⚠ 令牌中含有空格：可能没有完整复制。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="295"/>
        <source>⚠ This does not look like a Coze personal access token (pat_…). It will be used as typed.</source>
        <translation>⚠ 这看起来不像扣子个人访问令牌（pat_…），将按原样使用。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="275"/>
        <source>The number at the end of the bot's address</source>
        <translation>智能体地址末尾的那串数字</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="275"/>
        <source>Your Coze Studio, e.g. http://localhost:8888</source>
        <translation>你的 Coze Studio，例如 http://localhost:8888</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="275"/>
        <source>Open the bot in Coze: its address ends in /bot/&lt;b&gt;bot id&lt;/b&gt;. Publish it to the API channel first.</source>
        <translation>在扣子中打开智能体：它的地址以 /bot/&lt;b&gt;智能体 ID&lt;/b&gt; 结尾。请先把它发布到 API 渠道。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="275"/>
        <source>Create a personal access token in your Coze Studio (API authorization).</source>
        <translation>请在你的 Coze Studio（API 授权页面）中创建个人访问令牌。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/profiles/form.py" line="275"/>
        <source>Create a personal access token on {site} (API → personal access tokens) with the chat permission.</source>
        <translation>请在 {site}（API → 个人访问令牌）创建一个带“对话”权限的个人访问令牌。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="90"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="91"/>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="91"/>
        <source>&amp;Appearance:</source>
        <translation>外观(&amp;A)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="96"/>
        <location filename="../../desktop/ui/settings/dialog.py" line="101"/>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="102"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="103"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="106"/>
        <source>Open the network log when a request fails</source>
        <translation>请求失败时打开网络日志</translation>
    </message>
</context>
<context>
    <name>SearchFlow</name>
    <message>
        <location filename="../../desktop/ui/window/search_flow.py" line="1"/>
        <source>Showing the chats of the newest {count} matching messages; type more to narrow the search.</source>
        <translation>仅显示最近 {count} 条匹配消息所在的对话；多输入几个字可缩小范围。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/search_flow.py" line="1"/>
        <source>Older messages are still being indexed for search; more of them are found in a few minutes.</source>
        <translation>较早的消息仍在建立搜索索引，几分钟后能搜到更多。</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <location filename="../../desktop/ui/sidebar/rows.py" line="1"/>
        <source>damaged</source>
        <translation>已损坏</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sidebar/panel.py" line="1"/>
        <source>Sync with Coze</source>
        <translation>与扣子同步</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sidebar/panel.py" line="1"/>
        <source>Your new chat is listed here once you send its first message.</source>
        <translation>发送第一条消息后，新会话会列在这里。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sidebar/rows.py" line="23"/>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sidebar/panel.py" line="154"/>
        <location filename="../../desktop/ui/sidebar/panel.py" line="193"/>
        <source>All bots</source>
        <translation>全部智能体</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sidebar/panel.py" line="194"/>
        <source>Show sessions of one bot profile, or of all</source>
        <translation>显示某个智能体配置的会话，或全部会话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sidebar/panel.py" line="195"/>
        <source>Search sessions (Ctrl+F)</source>
        <translation>搜索会话（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sidebar/panel.py" line="196"/>
        <source>+  New chat</source>
        <translation>+  新对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sidebar/panel.py" line="197"/>
        <source>Start a new chat (Ctrl+N)</source>
        <translation>开始新对话（Ctrl+N）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sidebar/panel.py" line="208"/>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sidebar/panel.py" line="228"/>
        <source>No matching sessions</source>
        <translation>没有匹配的会话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sidebar/panel.py" line="228"/>
        <source>No chats yet</source>
        <translation>还没有对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sidebar/panel.py" line="257"/>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sidebar/panel.py" line="258"/>
        <source>Unpin</source>
        <translation>取消置顶</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sidebar/panel.py" line="258"/>
        <source>Pin to top</source>
        <translation>置顶</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sidebar/panel.py" line="262"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sidebar/panel.py" line="1"/>
        <source>New comparison</source>
        <translation>新建对比</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sidebar/panel.py" line="1"/>
        <source>Comparisons</source>
        <translation>对比</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sidebar/panel.py" line="1"/>
        <source>Delete comparison (keep its chats)</source>
        <translation>删除对比（保留其中的对话）</translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <location filename="../../desktop/ui/kit/chrome.py" line="26"/>
        <source>Custom: {host}</source>
        <translation>自定义：{host}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/kit/chrome.py" line="31"/>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/kit/chrome.py" line="32"/>
        <source>Connecting…</source>
        <translation>连接中…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/kit/chrome.py" line="33"/>
        <source>Streaming</source>
        <translation>输出中</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/kit/chrome.py" line="37"/>
        <source>Waiting for the answer…</source>
        <translation>等待回答…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/kit/chrome.py" line="34"/>
        <source>Error</source>
        <translation>出错</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/kit/chrome.py" line="77"/>
        <source>No bot selected</source>
        <translation>未选择智能体</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/kit/chrome.py" line="1"/>
        <source>Uploading…</source>
        <translation>正在上传…</translation>
    </message>
</context>
<context>
    <name>StreamView</name>
    <message>
        <location filename="../../desktop/ui/logdock/stream_tab.py" line="150"/>
        <source>Select a frame to see its data.</source>
        <translation>选择一帧以查看其数据。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/stream_tab.py" line="211"/>
        <location filename="../../desktop/ui/logdock/stream_tab.py" line="299"/>
        <source>All events</source>
        <translation>全部事件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/stream_tab.py" line="224"/>
        <source>{shown} of {total} frames</source>
        <translation>显示 {shown} / {total} 帧</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/stream_tab.py" line="226"/>
        <source>{n} not kept</source>
        <translation>{n} 帧未保留</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/stream_tab.py" line="245"/>
        <source>Merging {n} frames…</source>
        <translation>正在合并 {n} 帧…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/stream_tab.py" line="266"/>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/stream_tab.py" line="266"/>
        <source>Tool call</source>
        <translation>工具调用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/stream_tab.py" line="267"/>
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/stream_tab.py" line="267"/>
        <source>Follow-ups</source>
        <translation>推荐追问</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/stream_tab.py" line="268"/>
        <source>Usage</source>
        <translation>用量</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/stream_tab.py" line="293"/>
        <source>Event:</source>
        <translation>事件：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/stream_tab.py" line="294"/>
        <source>Frames</source>
        <translation>数据帧</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/stream_tab.py" line="295"/>
        <source>Merged</source>
        <translation>合并视图</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/stream_tab.py" line="296"/>
        <source>Received</source>
        <translation>接收时间</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/stream_tab.py" line="296"/>
        <source>Gap (ms)</source>
        <translation>间隔（毫秒）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/stream_tab.py" line="296"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/stream_tab.py" line="297"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
</context>
<context>
    <name>TimingChart</name>
    <message>
        <location filename="../../desktop/ui/logdock/timing_tab.py" line="74"/>
        <source>Connection reused: no connect or TLS time.</source>
        <translation>复用了已有连接：没有连接和 TLS 耗时。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/timing_tab.py" line="78"/>
        <source>Connect</source>
        <translation>建立连接</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/timing_tab.py" line="78"/>
        <source>TLS handshake</source>
        <translation>TLS 握手</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/timing_tab.py" line="79"/>
        <source>Waiting (TTFB)</source>
        <translation>等待首字节（TTFB）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/timing_tab.py" line="79"/>
        <source>Receiving / streaming</source>
        <translation>接收 / 流式输出</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/logdock/timing_tab.py" line="80"/>
        <source>Total</source>
        <translation>总计</translation>
    </message>
</context>
<context>
    <name>WelcomeView</name>
    <message>
        <location filename="../../desktop/ui/window/welcome.py" line="93"/>
        <source>Welcome to Coze Desktop</source>
        <translation>欢迎使用扣子桌面版</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/welcome.py" line="96"/>
        <source>Chat with your Coze (扣子) bots from coze.cn, coze.com or your own Coze Studio. Replies stream in with thinking, tool calls and follow-up suggestions, and when something goes wrong you see why, in plain words.</source>
        <translation>与你在 coze.cn、coze.com 或自建 Coze Studio 上的扣子智能体聊天。回复会逐字输出，并展示思考过程、工具调用和推荐追问；出了问题时，会用通俗的话告诉你原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/welcome.py" line="101"/>
        <source>Add your Coze bot</source>
        <translation>添加你的扣子智能体</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/welcome.py" line="102"/>
        <source>Try the demo bot</source>
        <translation>试用演示智能体</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/welcome.py" line="104"/>
        <source>The demo bot runs inside the app: no account or network needed.</source>
        <translation>演示智能体在应用内运行：无需账号，也无需联网。</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="1"/>
        <source>Conversations on &amp;Coze…</source>
        <translation>扣子上的会话(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="1"/>
        <source>S&amp;ync with Coze</source>
        <translation>与扣子同步(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="71"/>
        <source>&amp;New chat</source>
        <translation>新对话(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="72"/>
        <source>&amp;Search sessions</source>
        <translation>搜索会话(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="73"/>
        <source>&amp;Write a message</source>
        <translation>输入消息(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="74"/>
        <source>S&amp;top reply</source>
        <translation>停止回复(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="75"/>
        <source>Se&amp;ttings…</source>
        <translation>设置(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="76"/>
        <source>&amp;Bot profiles…</source>
        <translation>智能体配置(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="77"/>
        <source>Export session as &amp;Markdown…</source>
        <translation>导出会话为 &amp;Markdown…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="78"/>
        <source>Export session as &amp;JSON…</source>
        <translation>导出会话为 &amp;JSON…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="79"/>
        <source>&amp;Clear context</source>
        <translation>清除上下文(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="80"/>
        <source>&amp;Regenerate last answer</source>
        <translation>重新生成最后的回答(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="81"/>
        <source>&amp;Diagnose profile</source>
        <translation>诊断配置(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="82"/>
        <source>Re&amp;name session</source>
        <translation>重命名会话(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="83"/>
        <source>&amp;Delete session…</source>
        <translation>删除会话(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="84"/>
        <source>Network &amp;log</source>
        <translation>网络日志(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="117"/>
        <source>&amp;Sidebar</source>
        <translation>侧边栏(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="85"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="86"/>
        <source>&amp;About Coze Desktop</source>
        <translation>关于扣子桌面版(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="90"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="90"/>
        <source>&amp;Chat</source>
        <translation>对话(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="90"/>
        <source>&amp;Bots</source>
        <translation>智能体(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="91"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="91"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="1"/>
        <source>Ne&amp;xt chat</source>
        <translation>下一个对话(&amp;X)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="1"/>
        <source>&amp;Previous chat</source>
        <translation>上一个对话(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="1"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/actions.py" line="1"/>
        <source>New c&amp;omparison…</source>
        <translation>新建对比(&amp;O)…</translation>
    </message>
</context>
<context>
    <name>CompareColumn</name>
    <message>
        <location filename="../../desktop/ui/compare/column.py" line="1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/compare/column.py" line="1"/>
        <source>Stop this bot's answer; the others go on</source>
        <translation>停止这个智能体的回答，其他的继续</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/compare/column.py" line="1"/>
        <source>Open as chat</source>
        <translation>作为对话打开</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/compare/column.py" line="1"/>
        <source>Continue this bot's conversation on its own</source>
        <translation>单独继续这个智能体的会话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/compare/column.py" line="1"/>
        <source>No answer yet</source>
        <translation>还没有回答</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/compare/column.py" line="1"/>
        <source>first token {s} s</source>
        <translation>首字 {s} s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/compare/column.py" line="1"/>
        <source>total {s} s</source>
        <translation>总计 {s} s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/compare/column.py" line="1"/>
        <source>{n} tokens</source>
        <translation>{n} 个 token</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/compare/column.py" line="1"/>
        <source>log id {id}</source>
        <translation>日志 ID {id}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/compare/column.py" line="1"/>
        <source>Waiting for the first token…</source>
        <translation>正在等待第一个字…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/compare/column.py" line="1"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/compare/column.py" line="1"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/compare/column.py" line="1"/>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/compare/column.py" line="1"/>
        <source>waiting for a tool result</source>
        <translation>等待工具结果</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <location filename="../../desktop/ui/compare/view.py" line="1"/>
        <source>Stop all</source>
        <translation>全部停止</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/compare/view.py" line="1"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/compare/view.py" line="1"/>
        <source>Save the comparison as Markdown, one section per bot</source>
        <translation>将对比保存为 Markdown，每个智能体一节</translation>
    </message>
</context>
<context>
    <name>ComparePicker</name>
    <message>
        <location filename="../../desktop/ui/compare/picker.py" line="1"/>
        <source>New comparison</source>
        <translation>新建对比</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/compare/picker.py" line="1"/>
        <source>Pick {low} to {high} bots. Each gets its own chat; what you type goes to all.</source>
        <translation>选择 {low} 到 {high} 个智能体。每个都有自己的对话；你输入的内容会发给所有智能体。</translation>
    </message>
</context>
<context>
    <name>CompareFlow</name>
    <message>
        <location filename="../../desktop/ui/window/compare_flow.py" line="1"/>
        <source>A comparison needs at least two bot profiles (Bots → Bot profiles…).</source>
        <translation>对比至少需要两个智能体配置（智能体 → 智能体配置…）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/compare_flow.py" line="1"/>
        <source>Could not make the comparison: {error}</source>
        <translation>无法创建对比：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/compare_flow.py" line="1"/>
        <source>{name} is still answering: stop it before asking again.</source>
        <translation>{name} 仍在回答：请先停止，再重新提问。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/compare_flow.py" line="1"/>
        <source>No token is saved for “{name}”. Open Bots → Bot profiles… to add one.</source>
        <translation>“{name}”没有保存令牌。请打开 智能体 → 智能体配置… 添加。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/compare_flow.py" line="1"/>
        <source>{name}: not sent yet, its chat lost its conversation.</source>
        <translation>{name}：尚未发送，它的对话已丢失会话。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/compare_flow.py" line="1"/>
        <source>{name}: this chat's bot profile no longer exists.</source>
        <translation>{name}：这个对话的智能体配置已不存在。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/compare_flow.py" line="1"/>
        <source>Export comparison</source>
        <translation>导出对比</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/compare_flow.py" line="1"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/compare_flow.py" line="1"/>
        <source>Export failed: {error}</source>
        <translation>导出失败：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/compare_flow.py" line="1"/>
        <source>Exported to {path}</source>
        <translation>已导出到 {path}</translation>
    </message>
</context>
<context>
    <name>AttachmentChip</name>
    <message>
        <location filename="../../desktop/ui/chat/attachments.py" line="1"/>
        <source>Remove this attachment</source>
        <translation>移除此附件</translation>
    </message>
</context>
<context>
    <name>AttachmentTray</name>
    <message>
        <location filename="../../desktop/ui/chat/attachments.py" line="1"/>
        <source>Cannot attach {name}: {reason}</source>
        <translation>无法添加附件 {name}：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/attachments.py" line="1"/>
        <source>pasted image {n}.png</source>
        <translation>粘贴的图片 {n}.png</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/attachments.py" line="1"/>
        <source>Uploading {name} ({n} of {count}): {sent} of {total}</source>
        <translation>正在上传 {name}（第 {n} 个，共 {count} 个）：{sent} / {total}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/attachments.py" line="1"/>
        <source>At most {n} files can go with one message.</source>
        <translation>一条消息最多附带 {n} 个文件。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/attachments.py" line="1"/>
        <source>{name} is larger than Coze accepts ({limit} at most).</source>
        <translation>{name} 超出了扣子的大小限制（最大 {limit}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/attachments.py" line="1"/>
        <source>{name} is empty: there is nothing to send.</source>
        <translation>{name} 是空文件，没有可发送的内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat/attachments.py" line="1"/>
        <source>Write a few words to go with the attachments: Coze needs text beside a file.</source>
        <translation>请写几句话和附件一起发送：扣子要求文件旁附有文字。</translation>
    </message>
</context>
</TS>
