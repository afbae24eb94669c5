<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>AppearanceController</name>
        <message>
            <location filename="../../reader/gui/appearance.py" line="123"/>
            <source>Reading Font</source>
            <translation>阅读字体</translation>
        </message>
    </context>
    <context>
        <name>ArticleController</name>
        <message>
            <location filename="../../reader/gui/article.py" line="93"/>
            <source>This post cannot be read any more: {reason}</source>
            <translation>这篇文章已无法读取：{reason}</translation>
        </message>
        <message>
            <location filename="../../reader/gui/article.py" line="99"/>
            <source>Bookmark (Ctrl+D)</source>
            <translation>加入书签 (Ctrl+D)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/article.py" line="100"/>
            <source>draft</source>
            <translation>草稿</translation>
        </message>
        <message>
            <location filename="../../reader/gui/article.py" line="101"/>
            <source>unpublished</source>
            <translation>未发布</translation>
        </message>
        <message>
            <location filename="../../reader/gui/article.py" line="102"/>
            <source>add a note</source>
            <translation>添加备注</translation>
        </message>
        <message>
            <location filename="../../reader/gui/article.py" line="103"/>
            <source>Edit the bookmark's note</source>
            <translation>编辑书签备注</translation>
        </message>
        <message>
            <location filename="../../reader/gui/article.py" line="138"/>
            <source>Link target is not a post in this folder: {href}</source>
            <translation>链接目标不是此文件夹中的文章：{href}</translation>
        </message>
    </context>
    <context>
        <name>ArticleList</name>
        <message>
            <location filename="../../reader/gui/listing.py" line="147"/>
            <source>{total} posts · {shown} shown</source>
            <translation>共 {total} 篇 · 显示 {shown} 篇</translation>
        </message>
        <message>
            <location filename="../../reader/gui/listing.py" line="151"/>
            <source> · {n} problems</source>
            <translation> · {n} 个问题</translation>
        </message>
        <message>
            <location filename="../../reader/gui/listing.py" line="153"/>
            <source> · {n} matches</source>
            <translation> · {n} 条匹配</translation>
        </message>
        <message>
            <location filename="../../reader/gui/listing.py" line="155"/>
            <source> · checking the folder for changes…</source>
            <translation> · 正在检查文件夹的变化…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/listing.py" line="158"/>
            <source> · indexing for search {done}/{total}</source>
            <translation> · 正在建立搜索索引 {done}/{total}</translation>
        </message>
    </context>
    <context>
        <name>Dialogs</name>
        <message>
            <location filename="../../reader/gui/dialogs.py" line="33"/>
            <source>Ctrl+Wheel</source>
            <translation>Ctrl+滚轮</translation>
        </message>
        <message>
            <location filename="../../reader/gui/dialogs.py" line="33"/>
            <source>Zoom</source>
            <translation>缩放</translation>
        </message>
        <message>
            <location filename="../../reader/gui/dialogs.py" line="36"/>
            <source>Narrow to posts with two categories or tags</source>
            <translation>只看同时属于两个分类或标签的文章</translation>
        </message>
        <message>
            <location filename="../../reader/gui/dialogs.py" line="37"/>
            <source>Ctrl+Click in the tree</source>
            <translation>在导航树中 Ctrl+单击</translation>
        </message>
        <message>
            <location filename="../../reader/gui/dialogs.py" line="48"/>
            <source>Keyboard Shortcuts</source>
            <translation>键盘快捷键</translation>
        </message>
        <message>
            <location filename="../../reader/gui/dialogs.py" line="59"/>
            <source>About Post Reader</source>
            <translation>关于文章阅读器</translation>
        </message>
        <message>
            <location filename="../../reader/gui/dialogs.py" line="61"/>
            <source>&lt;h3&gt;Post Reader {version}&lt;/h3&gt;&lt;p&gt;Read folders of Jekyll-style posts offline.&lt;/p&gt;&lt;p&gt;Qt {qt} · PySide6 {pyside} · Python {python}&lt;/p&gt;&lt;p&gt;Data: {data}&lt;br&gt;Cache: {cache}&lt;br&gt;Settings: {config}&lt;/p&gt;</source>
            <translation>&lt;h3&gt;文章阅读器 Post Reader {version}&lt;/h3&gt;&lt;p&gt;离线阅读 Jekyll 风格的文章文件夹。&lt;/p&gt;&lt;p&gt;Qt {qt} · PySide6 {pyside} · Python {python}&lt;/p&gt;&lt;p&gt;数据：{data}&lt;br&gt;缓存：{cache}&lt;br&gt;设置：{config}&lt;/p&gt;</translation>
        </message>
    </context>
    <context>
        <name>ErrorDialog</name>
        <message>
            <location filename="../../reader/gui/errors.py" line="75"/>
            <source>Unexpected error</source>
            <translation>意外错误</translation>
        </message>
        <message>
            <location filename="../../reader/gui/errors.py" line="77"/>
            <source>Something went wrong: {summary}

The window keeps working. The details are in the log file:
{path}</source>
            <translation>出了点问题：{summary}

窗口仍可继续使用。详细信息已写入日志文件：
{path}</translation>
        </message>
    </context>
    <context>
        <name>ExportController</name>
        <message>
            <location filename="../../reader/gui/exporter.py" line="33"/>
            <source>Open an article first.</source>
            <translation>请先打开一篇文章。</translation>
        </message>
        <message>
            <location filename="../../reader/gui/exporter.py" line="54"/>
            <source>Export as PDF</source>
            <translation>导出为 PDF</translation>
        </message>
        <message>
            <location filename="../../reader/gui/exporter.py" line="54"/>
            <source>PDF (*.pdf)</source>
            <translation>PDF 文件 (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/exporter.py" line="69"/>
            <location filename="../../reader/gui/exporter.py" line="93"/>
            <location filename="../../reader/gui/exporter.py" line="110"/>
            <location filename="../../reader/gui/exporter.py" line="118"/>
            <location filename="../../reader/gui/exporter.py" line="151"/>
            <source>Export failed</source>
            <translation>导出失败</translation>
        </message>
        <message>
            <location filename="../../reader/gui/exporter.py" line="72"/>
            <location filename="../../reader/gui/exporter.py" line="120"/>
            <source>Saved {path}</source>
            <translation>已保存 {path}</translation>
        </message>
        <message>
            <location filename="../../reader/gui/exporter.py" line="74"/>
            <source>Could not write {path}</source>
            <translation>无法写入 {path}</translation>
        </message>
        <message>
            <location filename="../../reader/gui/exporter.py" line="81"/>
            <source>Export as HTML</source>
            <translation>导出为 HTML</translation>
        </message>
        <message>
            <location filename="../../reader/gui/exporter.py" line="81"/>
            <source>HTML (*.html)</source>
            <translation>HTML 文件 (*.html)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/exporter.py" line="99"/>
            <source>Export as Markdown</source>
            <translation>导出为 Markdown</translation>
        </message>
        <message>
            <location filename="../../reader/gui/exporter.py" line="99"/>
            <source>Markdown (*.md)</source>
            <translation>Markdown 文件 (*.md)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/exporter.py" line="131"/>
            <source>Export Bookmarks</source>
            <translation>导出书签</translation>
        </message>
        <message>
            <location filename="../../reader/gui/exporter.py" line="133"/>
            <source>Markdown (*.md);;HTML (*.html);;JSON (*.json)</source>
            <translation>Markdown 文件 (*.md);;HTML 文件 (*.html);;JSON 文件 (*.json)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/exporter.py" line="153"/>
            <source>Bookmarks exported to {path}</source>
            <translation>书签已导出到 {path}</translation>
        </message>
        <message>
            <location filename="../../reader/gui/exporter.py" line="162"/>
            <source>Import Bookmarks</source>
            <translation>导入书签</translation>
        </message>
        <message>
            <location filename="../../reader/gui/exporter.py" line="164"/>
            <source>JSON export (*.json)</source>
            <translation>JSON 导出文件 (*.json)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/exporter.py" line="173"/>
            <source>Import failed</source>
            <translation>导入失败</translation>
        </message>
        <message>
            <location filename="../../reader/gui/exporter.py" line="179"/>
            <source>Imported {added} bookmarks ({already} already there, {missing} not found)</source>
            <translation>已导入 {added} 个书签（{already} 个已存在，{missing} 个未找到对应文章）</translation>
        </message>
    </context>
    <context>
        <name>FindBar</name>
        <message>
            <location filename="../../reader/gui/widgets/find_bar.py" line="17"/>
            <source>Find in article</source>
            <translation>在文章中查找</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/find_bar.py" line="21"/>
            <source>Previous match (Shift+F3)</source>
            <translation>上一个匹配 (Shift+F3)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/find_bar.py" line="24"/>
            <source>Next match (F3)</source>
            <translation>下一个匹配 (F3)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/find_bar.py" line="28"/>
            <source>Close (Esc)</source>
            <translation>关闭 (Esc)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/find_bar.py" line="95"/>
            <source>Not found</source>
            <translation>未找到</translation>
        </message>
    </context>
    <context>
        <name>FolderOpener</name>
        <message>
            <location filename="../../reader/gui/opening.py" line="36"/>
            <source>Open a Folder of Posts</source>
            <translation>打开文章文件夹</translation>
        </message>
        <message>
            <location filename="../../reader/gui/opening.py" line="55"/>
            <source>Clear Recent</source>
            <translation>清除最近打开记录</translation>
        </message>
        <message>
            <location filename="../../reader/gui/opening.py" line="57"/>
            <source>No recent folders</source>
            <translation>没有最近打开的文件夹</translation>
        </message>
    </context>
    <context>
        <name>FolderStatus</name>
        <message>
            <location filename="../../reader/gui/folder_status.py" line="30"/>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../reader/gui/folder_status.py" line="56"/>
            <source>Reading {folder}…</source>
            <translation>正在读取 {folder}…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/folder_status.py" line="74"/>
            <source>Loading cancelled: showing the posts read so far.</source>
            <translation>已取消载入：仅显示目前已读取的文章。</translation>
        </message>
        <message>
            <location filename="../../reader/gui/folder_status.py" line="80"/>
            <source>Cannot open folder</source>
            <translation>无法打开文件夹</translation>
        </message>
        <message>
            <location filename="../../reader/gui/folder_status.py" line="86"/>
            <source>Folder changed: {added} new or updated, {removed} removed</source>
            <translation>文件夹已变化：新增或更新 {added} 篇，移除 {removed} 篇</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../reader/gui/app.py" line="144"/>
            <source>Your reading data</source>
            <translation>您的阅读数据</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="129"/>
            <source>Search titles and text  (Ctrl+F)</source>
            <translation>搜索标题和正文  (Ctrl+F)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="133"/>
            <source>Words or Chinese of any length; "exact phrase"; -exclude; tag:name; category:name</source>
            <translation>单词或任意长度的中文；"精确短语"；-排除词；tag:标签名；category:分类名</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="137"/>
            <source>Newest first</source>
            <translation>最新优先</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="138"/>
            <source>Best match</source>
            <translation>最佳匹配</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="139"/>
            <source>Order of search results</source>
            <translation>搜索结果的排序方式</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="190"/>
            <source>&amp;Open Folder…</source>
            <translation>打开文件夹(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="191"/>
            <source>&amp;Reload</source>
            <translation>重新载入(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="192"/>
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="193"/>
            <source>&amp;Next Article</source>
            <translation>下一篇(&amp;N)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="194"/>
            <source>&amp;Previous Article</source>
            <translation>上一篇(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="195"/>
            <source>Scroll Down or Next Article</source>
            <translation>向下滚动或下一篇</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="196"/>
            <source>Focus &amp;Tree</source>
            <translation>聚焦导航树(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="197"/>
            <source>Focus &amp;List</source>
            <translation>聚焦文章列表(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="198"/>
            <source>Focus &amp;Pane</source>
            <translation>聚焦阅读区(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="199"/>
            <source>&amp;Search Titles</source>
            <translation>搜索标题(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="200"/>
            <source>&amp;Find in Article</source>
            <translation>在文章中查找(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="201"/>
            <source>Find Next</source>
            <translation>查找下一个</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="202"/>
            <source>Find Previous</source>
            <translation>查找上一个</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="203"/>
            <source>Zoom &amp;In</source>
            <translation>放大(&amp;I)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="204"/>
            <source>Zoom &amp;Out</source>
            <translation>缩小(&amp;O)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="205"/>
            <source>&amp;Actual Size</source>
            <translation>实际大小(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="206"/>
            <source>&amp;Keyboard Shortcuts</source>
            <translation>键盘快捷键(&amp;K)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="207"/>
            <source>&amp;About Post Reader</source>
            <translation>关于文章阅读器(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="208"/>
            <source>Cancel Loading</source>
            <translation>取消载入</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="209"/>
            <source>&amp;Bookmark</source>
            <translation>加入书签(&amp;B)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="210"/>
            <source>Edit Bookmark &amp;Note…</source>
            <translation>编辑书签备注(&amp;N)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="211"/>
            <source>Mark Read/&amp;Unread</source>
            <translation>标为已读/未读(&amp;U)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="212"/>
            <source>Mark &amp;All in View as Read</source>
            <translation>将当前列表全部标为已读(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="213"/>
            <source>&amp;Export Bookmarks…</source>
            <translation>导出书签(&amp;E)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="214"/>
            <source>&amp;Print…</source>
            <translation>打印(&amp;P)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="215"/>
            <source>Export Article as P&amp;DF…</source>
            <translation>将文章导出为 PDF(&amp;D)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="216"/>
            <source>Export Article as &amp;HTML…</source>
            <translation>将文章导出为 HTML(&amp;H)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="217"/>
            <source>Export Article as &amp;Markdown…</source>
            <translation>将文章导出为 Markdown(&amp;M)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="218"/>
            <source>&amp;Preferences…</source>
            <translation>首选项(&amp;P)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="219"/>
            <source>Reading &amp;Font…</source>
            <translation>阅读字体(&amp;F)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="220"/>
            <source>&amp;Import Bookmarks…</source>
            <translation>导入书签(&amp;I)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="221"/>
            <source>Show &amp;Timeline</source>
            <translation>显示时间线(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="224"/>
            <source>Sa&amp;ve Search…</source>
            <translation>保存搜索(&amp;V)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="226"/>
            <source>Save the search with the selected node and filters under Saved searches</source>
            <translation>把搜索连同所选节点和筛选条件保存到“已存搜索”下</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="229"/>
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="231"/>
            <source>Dark</source>
            <translation>深色</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="231"/>
            <source>Light</source>
            <translation>浅色</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="231"/>
            <source>System</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="234"/>
            <source>Full Width</source>
            <translation>全宽</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="234"/>
            <source>Narrow</source>
            <translation>窄</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="234"/>
            <source>Wide</source>
            <translation>宽</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="246"/>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="248"/>
            <source>Open &amp;Recent</source>
            <translation>最近打开(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="259"/>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="262"/>
            <source>&amp;Theme</source>
            <translation>主题(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="264"/>
            <source>&amp;Line Width</source>
            <translation>行宽(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="269"/>
            <source>&amp;Article</source>
            <translation>文章(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="273"/>
            <source>&amp;Go</source>
            <translation>转到(&amp;G)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="277"/>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
    </context>
    <context>
        <name>MarksController</name>
        <message>
            <location filename="../../reader/gui/marks.py" line="190"/>
            <source>Bookmarked: {title}</source>
            <translation>已加入书签：{title}</translation>
        </message>
        <message>
            <location filename="../../reader/gui/marks.py" line="192"/>
            <source>Bookmark removed: {title}</source>
            <translation>已移除书签：{title}</translation>
        </message>
        <message>
            <location filename="../../reader/gui/marks.py" line="201"/>
            <source>Bookmark Note</source>
            <translation>书签备注</translation>
        </message>
        <message>
            <location filename="../../reader/gui/marks.py" line="202"/>
            <source>A short note for “{title}”:</source>
            <translation>为“{title}”写一条简短备注：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/marks.py" line="240"/>
            <source>Marked {n} posts as read</source>
            <translation>已将 {n} 篇文章标为已读</translation>
        </message>
        <message>
            <location filename="../../reader/gui/marks.py" line="251"/>
            <source>Remove Bookmark</source>
            <translation>移除书签</translation>
        </message>
        <message>
            <location filename="../../reader/gui/marks.py" line="253"/>
            <source>Bookmark</source>
            <translation>加入书签</translation>
        </message>
        <message>
            <location filename="../../reader/gui/marks.py" line="256"/>
            <source>Edit Bookmark Note…</source>
            <translation>编辑书签备注…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/marks.py" line="259"/>
            <source>Mark as Read</source>
            <translation>标为已读</translation>
        </message>
        <message>
            <location filename="../../reader/gui/marks.py" line="259"/>
            <source>Mark as Unread</source>
            <translation>标为未读</translation>
        </message>
    </context>
    <context>
        <name>NavPanel</name>
        <message>
            <location filename="../../reader/gui/widgets/nav_panel.py" line="140"/>
            <source>Filter categories and tags</source>
            <translation>筛选分类和标签</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/nav_panel.py" line="144"/>
            <source>A–Z</source>
            <translation>A–Z</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/nav_panel.py" line="145"/>
            <source>Sort categories and tags by name (off: by count)</source>
            <translation>按名称排列分类和标签（关闭时按文章数）</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/nav_panel.py" line="307"/>
            <source>Open Containing Folder</source>
            <translation>打开所在文件夹</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/nav_panel.py" line="309"/>
            <source>Copy Path and Reason</source>
            <translation>复制路径和原因</translation>
        </message>
    </context>
    <context>
        <name>NavTreeModel</name>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="117"/>
            <source>All posts</source>
            <translation>全部文章</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="118"/>
            <source>Bookmarks</source>
            <translation>书签</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="120"/>
            <source>Unread</source>
            <translation>未读</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="125"/>
            <source>Saved searches</source>
            <translation>已存搜索</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="142"/>
            <source>Categories</source>
            <translation>分类</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="146"/>
            <source>Tags</source>
            <translation>标签</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="150"/>
            <source>Archive</source>
            <translation>归档</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="161"/>
            <source>Drafts</source>
            <translation>草稿</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="164"/>
            <source>Problems</source>
            <translation>问题</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="243"/>
            <source>{name}: {total} posts, {unread} unread</source>
            <translation>{name}：{total} 篇，{unread} 篇未读</translation>
        </message>
    </context>
    <context>
        <name>PostListModel</name>
        <message>
            <location filename="../../reader/gui/models/post_list.py" line="188"/>
            <location filename="../../reader/gui/models/post_list.py" line="242"/>
            <source>Bookmarked</source>
            <translation>已加书签</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/post_list.py" line="200"/>
            <source>draft</source>
            <translation>草稿</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/post_list.py" line="202"/>
            <source>unpublished</source>
            <translation>未发布</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/post_list.py" line="204"/>
            <source>scheduled</source>
            <translation>定时发布</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/post_list.py" line="234"/>
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/post_list.py" line="235"/>
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/post_list.py" line="236"/>
            <source>Category</source>
            <translation>分类</translation>
        </message>
    </context>
    <context>
        <name>PreferencesDialog</name>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="44"/>
            <source>Preferences</source>
            <translation>首选项</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="49"/>
            <source>Dark</source>
            <translation>深色</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="49"/>
            <source>Light</source>
            <translation>浅色</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="49"/>
            <source>System</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="53"/>
            <source>Theme:</source>
            <translation>主题：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="58"/>
            <source>Reading font:</source>
            <translation>阅读字体：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="62"/>
            <source>Narrow</source>
            <translation>窄</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="63"/>
            <source>Wide</source>
            <translation>宽</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="64"/>
            <source>Full width</source>
            <translation>全宽</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="69"/>
            <source>Line width:</source>
            <translation>行宽：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="74"/>
            <source> s</source>
            <translation> 秒</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="76"/>
            <source>A post open this long counts as read (0: at once)</source>
            <translation>文章打开这么久后计为已读（0：立即）</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="77"/>
            <source>Mark as read after:</source>
            <translation>多久后标为已读：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="80"/>
            <source>e.g. old_post, backup</source>
            <translation>例如 old_post, backup</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="82"/>
            <source>Folder names never scanned (besides Jekyll's own rules), comma-separated</source>
            <translation>从不扫描的文件夹名（Jekyll 自身规则之外），用逗号分隔</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="84"/>
            <source>Skip folders named:</source>
            <translation>跳过以下名称的文件夹：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="87"/>
            <source>Read times without a time zone in the site's zone</source>
            <translation>把没有时区的时间按站点时区读取</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="93"/>
            <source>For this folder only. Jekyll reads a time such as 2021-12-08 10:46:18 as UTC; on, it is read in the zone of the site's _config.yml</source>
            <translation>只对这个文件夹。Jekyll 把 2021-12-08 10:46:18 这样的时间当作 UTC；勾选后按站点 _config.yml 中的时区读取</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="97"/>
            <source>This folder:</source>
            <translation>这个文件夹：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="99"/>
            <source>Cache:</source>
            <translation>缓存：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="99"/>
            <source>Data:</source>
            <translation>数据：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="103"/>
            <source>Open</source>
            <translation>打开</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="117"/>
            <source>Default</source>
            <translation>默认</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="124"/>
            <source>Reading Font</source>
            <translation>阅读字体</translation>
        </message>
    </context>
    <context>
        <name>ReadingPane</name>
        <message>
            <location filename="../../reader/gui/widgets/reading_pane.py" line="127"/>
            <source>Select an article to read it here.</source>
            <translation>选择一篇文章，在这里阅读。</translation>
        </message>
    </context>
    <context>
        <name>RelatedPosts</name>
        <message>
            <location filename="../../reader/gui/related.py" line="140"/>
            <source>same story</source>
            <translation>同一报道</translation>
        </message>
        <message>
            <location filename="../../reader/gui/related.py" line="149"/>
            <source>Related posts</source>
            <translation>相关文章</translation>
        </message>
    </context>
    <context>
        <name>SavedSearches</name>
        <message>
            <location filename="../../reader/gui/saved_searches.py" line="117"/>
            <source>Saved searches</source>
            <translation>已存搜索</translation>
        </message>
        <message>
            <location filename="../../reader/gui/saved_searches.py" line="125"/>
            <source>Name:</source>
            <translation>名称：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/saved_searches.py" line="134"/>
            <source>Save Search</source>
            <translation>保存搜索</translation>
        </message>
        <message>
            <location filename="../../reader/gui/saved_searches.py" line="150"/>
            <source>Rename…</source>
            <translation>重命名…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/saved_searches.py" line="151"/>
            <source>Save Current View Here</source>
            <translation>用当前视图覆盖</translation>
        </message>
        <message>
            <location filename="../../reader/gui/saved_searches.py" line="152"/>
            <source>Move Up</source>
            <translation>上移</translation>
        </message>
        <message>
            <location filename="../../reader/gui/saved_searches.py" line="154"/>
            <source>Move Down</source>
            <translation>下移</translation>
        </message>
        <message>
            <location filename="../../reader/gui/saved_searches.py" line="158"/>
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <location filename="../../reader/gui/saved_searches.py" line="170"/>
            <source>Rename Saved Search</source>
            <translation>重命名已存搜索</translation>
        </message>
    </context>
    <context>
        <name>TimelineBar</name>
        <message>
            <location filename="../../reader/gui/widgets/timeline_chart.py" line="176"/>
            <source>Show every date again</source>
            <translation>重新显示所有日期</translation>
        </message>
    </context>
    <context>
        <name>TimelineChart</name>
        <message>
            <location filename="../../reader/gui/widgets/timeline_chart.py" line="79"/>
            <source>No dated posts</source>
            <translation>没有带日期的文章</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/timeline_chart.py" line="115"/>
            <source>per day, at most {n}</source>
            <translation>按天，最多 {n} 篇</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/timeline_chart.py" line="116"/>
            <source>per week, at most {n}</source>
            <translation>按周，最多 {n} 篇</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/timeline_chart.py" line="117"/>
            <source>per month, at most {n}</source>
            <translation>按月，最多 {n} 篇</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/timeline_chart.py" line="149"/>
            <source>{label}: {n} posts</source>
            <translation>{label}：{n} 篇</translation>
        </message>
    </context>
</TS>
