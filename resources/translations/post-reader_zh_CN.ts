<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>AppearanceController</name>
        <message>
            <location filename="../../reader/gui/appearance.py" line="75"/>
            <source>The interface language changes when Post Reader starts again</source>
            <translation>界面语言将在下次启动 Post Reader 时更改</translation>
        </message>
        <message>
            <location filename="../../reader/gui/appearance.py" line="142"/>
            <source>Reading Font</source>
            <translation>阅读字体</translation>
        </message>
    </context>
    <context>
        <name>ArticleController</name>
        <message>
            <location filename="../../reader/gui/article.py" line="111"/>
            <source>This post cannot be read any more: {reason}</source>
            <translation>这篇文章已无法读取：{reason}</translation>
        </message>
        <message>
            <location filename="../../reader/gui/article.py" line="119"/>
            <source>Bookmark (Ctrl+D)</source>
            <translation>加入书签 (Ctrl+D)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/article.py" line="120"/>
            <source>draft</source>
            <translation>草稿</translation>
        </message>
        <message>
            <location filename="../../reader/gui/article.py" line="121"/>
            <source>unpublished</source>
            <translation>未发布</translation>
        </message>
        <message>
            <location filename="../../reader/gui/article.py" line="122"/>
            <source>add a note</source>
            <translation>添加备注</translation>
        </message>
        <message>
            <location filename="../../reader/gui/article.py" line="123"/>
            <source>Edit the bookmark's note</source>
            <translation>编辑书签备注</translation>
        </message>
        <message>
            <location filename="../../reader/gui/article.py" line="168"/>
            <source>Link target is not a post in this folder: {href}</source>
            <translation>链接目标不是此文件夹中的文章：{href}</translation>
        </message>
    </context>
    <context>
        <name>ArticleFollower</name>
        <message>
            <location filename="../../reader/gui/following.py" line="48"/>
            <source>This article's file is gone from the folder: {path}. It was deleted, moved or renamed; choose another article in the list.</source>
            <translation>这篇文章的文件已不在文件夹中：{path}。它已被删除、移动或改名；请在列表中选择另一篇文章。</translation>
        </message>
    </context>
    <context>
        <name>ArticleList</name>
        <message>
            <location filename="../../reader/gui/listing.py" line="192"/>
            <source>{total} posts · {shown} shown</source>
            <translation>共 {total} 篇 · 显示 {shown} 篇</translation>
        </message>
        <message>
            <location filename="../../reader/gui/listing.py" line="198"/>
            <source> · 1 problem</source>
            <translation> · 1 个问题</translation>
        </message>
        <message>
            <location filename="../../reader/gui/listing.py" line="198"/>
            <source> · {n} problems</source>
            <translation> · {n} 个问题</translation>
        </message>
        <message>
            <location filename="../../reader/gui/listing.py" line="202"/>
            <source> · 1 match</source>
            <translation> · 1 条匹配</translation>
        </message>
        <message>
            <location filename="../../reader/gui/listing.py" line="202"/>
            <source> · {n} matches</source>
            <translation> · {n} 条匹配</translation>
        </message>
        <message>
            <location filename="../../reader/gui/listing.py" line="206"/>
            <source> · finding every match…</source>
            <translation> · 正在查找全部匹配…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/listing.py" line="208"/>
            <source> · reading the folder…</source>
            <translation> · 正在读取文件夹…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/listing.py" line="210"/>
            <source> · checking the folder for changes…</source>
            <translation> · 正在检查文件夹的变化…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/listing.py" line="215"/>
            <source> · titles only for now: the search index is being built ({done}/{total}); the matches in the text follow</source>
            <translation> · 暂时只搜索标题：正在建立搜索索引（{done}/{total}）；正文中的匹配随后显示</translation>
        </message>
        <message>
            <location filename="../../reader/gui/listing.py" line="219"/>
            <source> · indexing for search {done}/{total}</source>
            <translation> · 正在建立搜索索引 {done}/{total}</translation>
        </message>
    </context>
    <context>
        <name>CoreText</name>
        <message>
            <location filename="../../reader/gui/core_text.py" line="28"/>
            <source>the date {0} has no time zone: read as UTC, as Jekyll does, so it is shown {1} hours later; the folder's preferences can read such times in the site's zone</source>
            <translation>日期 {0} 没有时区：与 Jekyll 一样按 UTC 读取，因此显示时晚 {1} 小时；可在文件夹偏好设置中改为按网站时区读取此类时间</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="38"/>
            <source>the date {0} has no time zone: read as UTC, as Jekyll does, so it is shown {1} hours earlier; the folder's preferences can read such times in the site's zone</source>
            <translation>日期 {0} 没有时区：与 Jekyll 一样按 UTC 读取，因此显示时早 {1} 小时；可在文件夹偏好设置中改为按网站时区读取此类时间</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="46"/>
            <source>date cannot be used ({0}); {1} is used instead</source>
            <translation>日期无法使用（{0}）；改用{1}</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="52"/>
            <source>blank lines before the front matter (Jekyll would ignore it)</source>
            <translation>头信息前有空行（Jekyll 会忽略头信息）</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="58"/>
            <source>front matter is never closed by `---`; read as body text</source>
            <translation>头信息没有以 `---` 结束；按正文读取</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="64"/>
            <source>front matter closed with `...` instead of `---`</source>
            <translation>头信息以 `...` 而不是 `---` 结束</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="70"/>
            <source>file name has no valid date (YYYY-MM-DD-title); Jekyll would skip this post</source>
            <translation>文件名中没有有效日期（YYYY-MM-DD-标题）；Jekyll 会跳过这篇文章</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="77"/>
            <source>file name date {0} is not a real date; Jekyll would skip this post</source>
            <translation>文件名中的日期 {0} 不是真实日期；Jekyll 会跳过这篇文章</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="83"/>
            <source>title is longer than {0} characters; shortened</source>
            <translation>标题超过 {0} 个字符；已截短</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="89"/>
            <source>Windows (CRLF) line ends</source>
            <translation>Windows（CRLF）换行符</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="93"/>
            <source>old Mac (CR) line ends</source>
            <translation>旧 Mac（CR）换行符</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="97"/>
            <source>starts with a UTF-8 byte-order mark</source>
            <translation>以 UTF-8 字节顺序标记开头</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="101"/>
            <source>encoded as {0} (with a byte-order mark)</source>
            <translation>编码为 {0}（带字节顺序标记）</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="107"/>
            <source>encoded as {0} without a byte-order mark</source>
            <translation>编码为 {0}，没有字节顺序标记</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="113"/>
            <source>not UTF-8: decoded as {0}</source>
            <translation>不是 UTF-8：按 {0} 解码</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="117"/>
            <source>both `tag` and `tags` are set; Jekyll uses `tag` only, and so do we</source>
            <translation>同时设置了 `tag` 和 `tags`；Jekyll 只用 `tag`，本程序也一样</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="123"/>
            <source>`{0}` holds a {1}; it was dropped</source>
            <translation>`{0}` 含有 {1}；已舍弃</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="127"/>
            <source>`{0}` value {1} was not text; read as text</source>
            <translation>`{0}` 的值 {1} 不是文本；按文本读取</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="133"/>
            <source>`{0}` is a mapping, not a list; its keys were used</source>
            <translation>`{0}` 是映射而不是列表；使用了它的键</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="139"/>
            <source>`{0}` is a boolean, not text; it was ignored</source>
            <translation>`{0}` 是布尔值而不是文本；已忽略</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="145"/>
            <source>`{0}` is a list; its items were joined</source>
            <translation>`{0}` 是列表；已将各项连接起来</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="151"/>
            <source>`{0}` is a mapping, not text; it was ignored</source>
            <translation>`{0}` 是映射而不是文本；已忽略</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="157"/>
            <source>`{0}` is a {1}, not a list; read as text</source>
            <translation>`{0}` 是 {1} 而不是列表；按文本读取</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="163"/>
            <source>`{0}` is a {1}, not text; read as text</source>
            <translation>`{0}` 是 {1} 而不是文本；按文本读取</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="169"/>
            <source>`{0}` is {1}, not true/false; treated as {2}</source>
            <translation>`{0}` 是 {1}，不是 true/false；按 {2} 处理</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="175"/>
            <source>_config.yml timezone {0} is unknown; the local zone is used</source>
            <translation>_config.yml 中的时区 {0} 未知；使用本地时区</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="199"/>
            <source>embedded data</source>
            <translation>内嵌数据</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="200"/>
            <source>file address</source>
            <translation>本地文件地址</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="201"/>
            <source>no address</source>
            <translation>没有地址</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="202"/>
            <source>address too long</source>
            <translation>地址过长</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="203"/>
            <source>unsupported address</source>
            <translation>不支持的地址</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="211"/>
            <source>[image]</source>
            <translation>[图片]</translation>
        </message>
        <message>
            <location filename="../../reader/gui/core_text.py" line="217"/>
            <source>[image not shown: {reason}]</source>
            <translation>[图片未显示：{reason}]</translation>
        </message>
    </context>
    <context>
        <name>Dialogs</name>
        <message>
            <location filename="../../reader/gui/dialogs.py" line="41"/>
            <source>Ctrl+Wheel</source>
            <translation>Ctrl+滚轮</translation>
        </message>
        <message>
            <location filename="../../reader/gui/dialogs.py" line="41"/>
            <source>Zoom</source>
            <translation>缩放</translation>
        </message>
        <message>
            <location filename="../../reader/gui/dialogs.py" line="44"/>
            <source>Narrow to posts with two categories or tags</source>
            <translation>只看同时属于两个分类或标签的文章</translation>
        </message>
        <message>
            <location filename="../../reader/gui/dialogs.py" line="45"/>
            <source>Ctrl+Click in the tree</source>
            <translation>在导航树中 Ctrl+单击</translation>
        </message>
        <message>
            <location filename="../../reader/gui/dialogs.py" line="56"/>
            <source>Keyboard Shortcuts</source>
            <translation>键盘快捷键</translation>
        </message>
        <message>
            <location filename="../../reader/gui/dialogs.py" line="67"/>
            <source>About Post Reader</source>
            <translation>关于文章阅读器</translation>
        </message>
        <message>
            <location filename="../../reader/gui/dialogs.py" line="69"/>
            <source>&lt;h3&gt;Post Reader {version}&lt;/h3&gt;&lt;p&gt;Read folders of Jekyll-style posts offline.&lt;/p&gt;&lt;p&gt;Qt {qt} · PySide6 {pyside} · Python {python}&lt;/p&gt;&lt;p&gt;Data: {data}&lt;br&gt;Cache: {cache}&lt;br&gt;Settings: {config}&lt;/p&gt;</source>
            <translation>&lt;h3&gt;文章阅读器 Post Reader {version}&lt;/h3&gt;&lt;p&gt;离线阅读 Jekyll 风格的文章文件夹。&lt;/p&gt;&lt;p&gt;Qt {qt} · PySide6 {pyside} · Python {python}&lt;/p&gt;&lt;p&gt;数据：{data}&lt;br&gt;缓存：{cache}&lt;br&gt;设置：{config}&lt;/p&gt;</translation>
        </message>
    </context>
    <context>
        <name>EmptyListNotice</name>
        <message>
            <location filename="../../reader/gui/empty_list.py" line="39"/>
            <source>This folder has no posts. Posts are Markdown or HTML files with front matter, usually in _posts/. Open another folder with Ctrl+O.</source>
            <translation>这个文件夹里没有文章。文章是带头信息的 Markdown 或 HTML 文件，通常在 _posts/ 中。可按 Ctrl+O 打开另一个文件夹。</translation>
        </message>
        <message>
            <location filename="../../reader/gui/empty_list.py" line="45"/>
            <source>No posts match “{text}”. Try fewer or other words, remove a -exclusion, or choose All posts in the tree; Esc clears the search.</source>
            <translation>没有文章匹配“{text}”。试试更少或别的词，去掉排除词（-词），或在左侧选择“全部文章”；按 Esc 清除搜索。</translation>
        </message>
        <message>
            <location filename="../../reader/gui/empty_list.py" line="50"/>
            <source>Everything here is read. Choose All posts in the tree to read again.</source>
            <translation>这里的文章都已读。在左侧选择“全部文章”可以再读。</translation>
        </message>
        <message>
            <location filename="../../reader/gui/empty_list.py" line="52"/>
            <source>No bookmarks yet. Press Ctrl+D on an article to keep it here.</source>
            <translation>还没有书签。在文章上按 Ctrl+D 即可收藏到这里。</translation>
        </message>
        <message>
            <location filename="../../reader/gui/empty_list.py" line="53"/>
            <source>No posts in this view. Choose All posts in the tree.</source>
            <translation>此视图中没有文章。请在左侧选择“全部文章”。</translation>
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
            <location filename="../../reader/gui/exporter.py" line="178"/>
            <source>Imported 1 bookmark ({already} already there, {missing} not found)</source>
            <translation>导入了 1 个书签（{already} 个已存在，{missing} 个未找到）</translation>
        </message>
        <message>
            <location filename="../../reader/gui/exporter.py" line="181"/>
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
            <location filename="../../reader/gui/widgets/find_bar.py" line="96"/>
            <source>Not found</source>
            <translation>未找到</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/find_bar.py" line="99"/>
            <source>{n} of {m}</source>
            <translation>第 {n} 处，共 {m} 处</translation>
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
            <location filename="../../reader/gui/folder_status.py" line="61"/>
            <source>Reading {folder}…</source>
            <translation>正在读取 {folder}…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/folder_status.py" line="81"/>
            <source>Loading cancelled: showing the posts read so far.</source>
            <translation>已取消载入：仅显示目前已读取的文章。</translation>
        </message>
        <message>
            <location filename="../../reader/gui/folder_status.py" line="87"/>
            <source>Cannot open folder</source>
            <translation>无法打开文件夹</translation>
        </message>
        <message>
            <location filename="../../reader/gui/folder_status.py" line="93"/>
            <source>Folder changed: {added} new or updated, {removed} removed</source>
            <translation>文件夹已变化：新增或更新 {added} 篇，移除 {removed} 篇</translation>
        </message>
    </context>
    <context>
        <name>ListSort</name>
        <message>
            <location filename="../../reader/gui/sort_state.py" line="46"/>
            <source>Newest first</source>
            <translation>最新优先</translation>
        </message>
        <message>
            <location filename="../../reader/gui/sort_state.py" line="47"/>
            <source>Oldest first</source>
            <translation>最早优先</translation>
        </message>
        <message>
            <location filename="../../reader/gui/sort_state.py" line="48"/>
            <source>Title A–Z</source>
            <translation>标题 A–Z（拼音）</translation>
        </message>
        <message>
            <location filename="../../reader/gui/sort_state.py" line="49"/>
            <source>Title Z–A</source>
            <translation>标题 Z–A（拼音）</translation>
        </message>
        <message>
            <location filename="../../reader/gui/sort_state.py" line="50"/>
            <source>Category A–Z</source>
            <translation>分类 A–Z</translation>
        </message>
        <message>
            <location filename="../../reader/gui/sort_state.py" line="51"/>
            <source>Best match (when searching)</source>
            <translation>最佳匹配（搜索时）</translation>
        </message>
        <message>
            <location filename="../../reader/gui/sort_state.py" line="54"/>
            <source>Order of the list (the column headers sort too)</source>
            <translation>列表的排序（点击列标题也可排序）</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../reader/gui/actions.py" line="36"/>
            <source>&amp;Open Folder…</source>
            <translation>打开文件夹(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="37"/>
            <source>&amp;Reload</source>
            <translation>重新载入(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="38"/>
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="39"/>
            <source>&amp;Next Article</source>
            <translation>下一篇(&amp;N)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="40"/>
            <source>&amp;Previous Article</source>
            <translation>上一篇(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="41"/>
            <source>Scroll Down or Next Article</source>
            <translation>向下滚动或下一篇</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="42"/>
            <source>&amp;Back</source>
            <translation>后退(&amp;B)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="43"/>
            <source>&amp;Forward</source>
            <translation>前进(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="46"/>
            <source>Focus &amp;Tree</source>
            <translation>聚焦导航树(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="47"/>
            <source>Focus &amp;List</source>
            <translation>聚焦文章列表(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="48"/>
            <source>Focus &amp;Pane</source>
            <translation>聚焦阅读区(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="49"/>
            <source>&amp;Search Posts</source>
            <translation>搜索文章(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="50"/>
            <source>&amp;Find in Article</source>
            <translation>在文章中查找(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="51"/>
            <source>Find Next</source>
            <translation>查找下一个</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="52"/>
            <source>Find Previous</source>
            <translation>查找上一个</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="53"/>
            <source>Zoom &amp;In</source>
            <translation>放大(&amp;I)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="54"/>
            <source>Zoom &amp;Out</source>
            <translation>缩小(&amp;O)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="55"/>
            <source>&amp;Actual Size</source>
            <translation>实际大小(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="56"/>
            <source>&amp;Keyboard Shortcuts</source>
            <translation>键盘快捷键(&amp;K)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="57"/>
            <source>&amp;About Post Reader</source>
            <translation>关于文章阅读器(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="58"/>
            <source>Cancel Loading</source>
            <translation>取消载入</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="59"/>
            <source>&amp;Bookmark</source>
            <translation>加入书签(&amp;B)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="60"/>
            <source>Edit Bookmark &amp;Note…</source>
            <translation>编辑书签备注(&amp;N)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="61"/>
            <source>Mark Read/&amp;Unread</source>
            <translation>标为已读/未读(&amp;U)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="62"/>
            <source>Mark &amp;All in View as Read</source>
            <translation>将当前列表全部标为已读(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="63"/>
            <location filename="../../reader/gui/actions.py" line="123"/>
            <source>&amp;Undo</source>
            <translation>撤销(&amp;U)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="65"/>
            <source>&amp;Export Bookmarks…</source>
            <translation>导出书签(&amp;E)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="66"/>
            <source>&amp;Print…</source>
            <translation>打印(&amp;P)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="67"/>
            <source>Export Article as P&amp;DF…</source>
            <translation>将文章导出为 PDF(&amp;D)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="68"/>
            <source>Export Article as &amp;HTML…</source>
            <translation>将文章导出为 HTML(&amp;H)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="69"/>
            <source>Export Article as &amp;Markdown…</source>
            <translation>将文章导出为 Markdown(&amp;M)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="70"/>
            <source>&amp;Preferences…</source>
            <translation>首选项(&amp;P)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="71"/>
            <source>Reading &amp;Font…</source>
            <translation>阅读字体(&amp;F)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="72"/>
            <source>&amp;Import Bookmarks…</source>
            <translation>导入书签(&amp;I)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="73"/>
            <source>Hide &amp;Duplicates</source>
            <translation>隐藏重复文章(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="77"/>
            <source>Show each re-published story once (×N)</source>
            <translation>转载的同一篇报道只显示一次（×N）</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="79"/>
            <source>Show &amp;Timeline</source>
            <translation>显示时间线(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="82"/>
            <source>Sa&amp;ve Search…</source>
            <translation>保存搜索(&amp;V)…</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="84"/>
            <source>Save the search with the selected node and filters under Saved searches</source>
            <translation>把搜索连同所选节点和筛选条件保存到“已存搜索”下</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="91"/>
            <source>System</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="92"/>
            <source>Light</source>
            <translation>浅色</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="93"/>
            <source>Dark</source>
            <translation>深色</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="98"/>
            <source>Narrow</source>
            <translation>窄</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="99"/>
            <source>Wide</source>
            <translation>宽</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="100"/>
            <source>Full Width</source>
            <translation>全宽</translation>
        </message>
        <message>
            <location filename="../../reader/gui/actions.py" line="121"/>
            <source>&amp;Undo {what}</source>
            <translation>撤销{what}(&amp;U)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/app.py" line="183"/>
            <source>Your reading data</source>
            <translation>您的阅读数据</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="152"/>
            <source>Search titles and text  (Ctrl+F)</source>
            <translation>搜索标题和正文  (Ctrl+F)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="156"/>
            <source>Words or Chinese of any length; "exact phrase"; -exclude; tag:name; category:name</source>
            <translation>单词或任意长度的中文；"精确短语"；-排除词；tag:标签名；category:分类名</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="160"/>
            <source>Newest first</source>
            <translation>最新优先</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="161"/>
            <source>Best match</source>
            <translation>最佳匹配</translation>
        </message>
        <message>
            <location filename="../../reader/gui/main_window.py" line="162"/>
            <source>Order of search results</source>
            <translation>搜索结果的排序方式</translation>
        </message>
        <message>
            <location filename="../../reader/gui/menus.py" line="41"/>
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <location filename="../../reader/gui/menus.py" line="43"/>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/menus.py" line="45"/>
            <source>Open &amp;Recent</source>
            <translation>最近打开(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/menus.py" line="56"/>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/menus.py" line="59"/>
            <source>&amp;Theme</source>
            <translation>主题(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/menus.py" line="61"/>
            <source>&amp;Line Width</source>
            <translation>行宽(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/menus.py" line="68"/>
            <source>&amp;Article</source>
            <translation>文章(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/menus.py" line="73"/>
            <source>&amp;Go</source>
            <translation>转到(&amp;G)</translation>
        </message>
        <message>
            <location filename="../../reader/gui/menus.py" line="80"/>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
    </context>
    <context>
        <name>MarksController</name>
        <message>
            <location filename="../../reader/gui/marks.py" line="209"/>
            <location filename="../../reader/gui/marks.py" line="305"/>
            <source>Mark as Read</source>
            <translation>标为已读</translation>
        </message>
        <message>
            <location filename="../../reader/gui/marks.py" line="209"/>
            <location filename="../../reader/gui/marks.py" line="305"/>
            <source>Mark as Unread</source>
            <translation>标为未读</translation>
        </message>
        <message>
            <location filename="../../reader/gui/marks.py" line="229"/>
            <location filename="../../reader/gui/marks.py" line="299"/>
            <source>Bookmark</source>
            <translation>加入书签</translation>
        </message>
        <message>
            <location filename="../../reader/gui/marks.py" line="229"/>
            <location filename="../../reader/gui/marks.py" line="297"/>
            <source>Remove Bookmark</source>
            <translation>移除书签</translation>
        </message>
        <message>
            <location filename="../../reader/gui/marks.py" line="233"/>
            <source>Bookmarked: {title}</source>
            <translation>已加入书签：{title}</translation>
        </message>
        <message>
            <location filename="../../reader/gui/marks.py" line="235"/>
            <source>Bookmark removed: {title}</source>
            <translation>已移除书签：{title}</translation>
        </message>
        <message>
            <location filename="../../reader/gui/marks.py" line="244"/>
            <source>Bookmark Note</source>
            <translation>书签备注</translation>
        </message>
        <message>
            <location filename="../../reader/gui/marks.py" line="245"/>
            <source>A short note for “{title}”:</source>
            <translation>为“{title}”写一条简短备注：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/marks.py" line="284"/>
            <source>Marked {n} posts as read (Ctrl+Z takes it back)</source>
            <translation>已将 {n} 篇文章标为已读（Ctrl+Z 可撤销）</translation>
        </message>
        <message>
            <location filename="../../reader/gui/marks.py" line="302"/>
            <source>Edit Bookmark Note…</source>
            <translation>编辑书签备注…</translation>
        </message>
    </context>
    <context>
        <name>MarksUndo</name>
        <message>
            <location filename="../../reader/gui/undo.py" line="52"/>
            <source>Undone: {what}</source>
            <translation>已撤销：{what}</translation>
        </message>
    </context>
    <context>
        <name>NavPanel</name>
        <message>
            <location filename="../../reader/gui/widgets/nav_panel.py" line="150"/>
            <source>Filter categories and tags</source>
            <translation>筛选分类和标签</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/nav_panel.py" line="154"/>
            <source>A–Z</source>
            <translation>A–Z</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/nav_panel.py" line="155"/>
            <source>Sort categories and tags by name (off: by count)</source>
            <translation>按名称排列分类和标签（关闭时按文章数）</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/nav_panel.py" line="350"/>
            <source>Open Containing Folder</source>
            <translation>打开所在文件夹</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/nav_panel.py" line="352"/>
            <source>Copy Path and Reason</source>
            <translation>复制路径和原因</translation>
        </message>
    </context>
    <context>
        <name>NavTreeModel</name>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="162"/>
            <source>All posts</source>
            <translation>全部文章</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="163"/>
            <source>Bookmarks</source>
            <translation>书签</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="165"/>
            <source>Unread</source>
            <translation>未读</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="170"/>
            <source>Saved searches</source>
            <translation>已存搜索</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="221"/>
            <source>Categories</source>
            <translation>分类</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="222"/>
            <source>Tags</source>
            <translation>标签</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="235"/>
            <source>Archive</source>
            <translation>归档</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="246"/>
            <source>Drafts</source>
            <translation>草稿</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="249"/>
            <source>Problems</source>
            <translation>问题</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/nav_tree.py" line="349"/>
            <source>{name}: {total} posts, {unread} unread</source>
            <translation>{name}：{total} 篇，{unread} 篇未读</translation>
        </message>
    </context>
    <context>
        <name>PostListModel</name>
        <message>
            <location filename="../../reader/gui/models/post_list.py" line="245"/>
            <location filename="../../reader/gui/models/post_list.py" line="304"/>
            <source>Bookmarked</source>
            <translation>已加书签</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/post_list.py" line="257"/>
            <source>draft</source>
            <translation>草稿</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/post_list.py" line="259"/>
            <source>unpublished</source>
            <translation>未发布</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/post_list.py" line="261"/>
            <source>scheduled</source>
            <translation>定时发布</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/post_list.py" line="296"/>
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/post_list.py" line="297"/>
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <location filename="../../reader/gui/models/post_list.py" line="298"/>
            <source>Category</source>
            <translation>分类</translation>
        </message>
    </context>
    <context>
        <name>PreferencesDialog</name>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="45"/>
            <source>Preferences</source>
            <translation>首选项</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="50"/>
            <source>Dark</source>
            <translation>深色</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="50"/>
            <source>Light</source>
            <translation>浅色</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="50"/>
            <source>System</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="54"/>
            <source>Theme:</source>
            <translation>主题：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="59"/>
            <source>Reading font:</source>
            <translation>阅读字体：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="63"/>
            <source>Narrow</source>
            <translation>窄</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="64"/>
            <source>Wide</source>
            <translation>宽</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="65"/>
            <source>Full width</source>
            <translation>全宽</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="70"/>
            <source>Line width:</source>
            <translation>行宽：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="75"/>
            <source>System default</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="81"/>
            <source>Takes effect when Post Reader starts again</source>
            <translation>下次启动 Post Reader 时生效</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="82"/>
            <source>Interface language:</source>
            <translation>界面语言：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="87"/>
            <source> s</source>
            <translation> 秒</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="89"/>
            <source>A post open this long counts as read (0: at once)</source>
            <translation>文章打开这么久后计为已读（0：立即）</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="90"/>
            <source>Mark as read after:</source>
            <translation>多久后标为已读：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="93"/>
            <source>e.g. old_post, backup</source>
            <translation>例如 old_post, backup</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="95"/>
            <source>Folder names never scanned (besides Jekyll's own rules), comma-separated</source>
            <translation>从不扫描的文件夹名（Jekyll 自身规则之外），用逗号分隔</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="97"/>
            <source>Skip folders named:</source>
            <translation>跳过以下名称的文件夹：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="100"/>
            <source>Read times without a time zone in the site's zone</source>
            <translation>把没有时区的时间按站点时区读取</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="106"/>
            <source>For this folder only. Jekyll reads a time such as 2021-12-08 10:46:18 as UTC; on, it is read in the zone of the site's _config.yml</source>
            <translation>只对这个文件夹。Jekyll 把 2021-12-08 10:46:18 这样的时间当作 UTC；勾选后按站点 _config.yml 中的时区读取</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="110"/>
            <source>This folder:</source>
            <translation>这个文件夹：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="112"/>
            <source>Cache:</source>
            <translation>缓存：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="112"/>
            <source>Data:</source>
            <translation>数据：</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="116"/>
            <source>Open</source>
            <translation>打开</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="130"/>
            <source>Default</source>
            <translation>默认</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/preferences.py" line="137"/>
            <source>Reading Font</source>
            <translation>阅读字体</translation>
        </message>
    </context>
    <context>
        <name>ProblemDetails</name>
        <message>
            <location filename="../../reader/gui/problem_pane.py" line="51"/>
            <source>This file could not be read</source>
            <translation>这个文件无法读取</translation>
        </message>
        <message>
            <location filename="../../reader/gui/problem_pane.py" line="52"/>
            <source>It is not in the list until it can be read as a post.</source>
            <translation>在能作为文章读取之前，它不会出现在列表中。</translation>
        </message>
        <message>
            <location filename="../../reader/gui/problem_pane.py" line="53"/>
            <source>Open its folder</source>
            <translation>打开所在文件夹</translation>
        </message>
        <message>
            <location filename="../../reader/gui/problem_pane.py" line="54"/>
            <source>Copy the path and reason</source>
            <translation>复制路径和原因</translation>
        </message>
        <message>
            <location filename="../../reader/gui/problem_pane.py" line="56"/>
            <source>After fixing the file, it is read again within seconds (F5 reloads the folder).</source>
            <translation>修好文件后，几秒内会重新读取（F5 重新加载文件夹）。</translation>
        </message>
        <message>
            <location filename="../../reader/gui/problem_pane.py" line="78"/>
            <source>Copied</source>
            <translation>已复制</translation>
        </message>
    </context>
    <context>
        <name>ReadingNavigation</name>
        <message>
            <location filename="../../reader/gui/navigation.py" line="139"/>
            <source>Could not open {address}: no program for it answered</source>
            <translation>无法打开 {address}：没有程序响应</translation>
        </message>
    </context>
    <context>
        <name>ReadingPane</name>
        <message>
            <location filename="../../reader/gui/widgets/reading_pane.py" line="192"/>
            <source>Select an article to read it here.</source>
            <translation>选择一篇文章，在这里阅读。</translation>
        </message>
    </context>
    <context>
        <name>RelatedPosts</name>
        <message>
            <location filename="../../reader/gui/related.py" line="144"/>
            <source>same story</source>
            <translation>同一报道</translation>
        </message>
        <message>
            <location filename="../../reader/gui/related.py" line="153"/>
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
        <name>SourcesController</name>
        <message>
            <location filename="../../reader/gui/sources.py" line="137"/>
            <source>Also published by:</source>
            <translation>同时刊登于：</translation>
        </message>
    </context>
    <context>
        <name>StorageWatch</name>
        <message>
            <location filename="../../reader/gui/storage_watch.py" line="39"/>
            <source>Notices</source>
            <translation>提示</translation>
        </message>
        <message>
            <location filename="../../reader/gui/storage_watch.py" line="77"/>
            <source>Changes cannot be saved: {reason} — {path}</source>
            <translation>无法保存更改：{reason} — {path}</translation>
        </message>
        <message>
            <location filename="../../reader/gui/storage_watch.py" line="89"/>
            <source>Changes can be saved again.</source>
            <translation>又可以保存更改了。</translation>
        </message>
        <message>
            <location filename="../../reader/gui/storage_watch.py" line="100"/>
            <source>The folder {path} is not there any more (unplugged, moved or deleted?). Showing what was loaded; it is picked up again when it comes back.</source>
            <translation>文件夹 {path} 已不存在（已拔出、移动或删除？）。仍显示已读入的内容；文件夹回来后会自动重新读取。</translation>
        </message>
        <message>
            <location filename="../../reader/gui/storage_watch.py" line="106"/>
            <source>The folder is back: {path}</source>
            <translation>文件夹已恢复：{path}</translation>
        </message>
    </context>
    <context>
        <name>TimelineBar</name>
        <message>
            <location filename="../../reader/gui/widgets/timeline_chart.py" line="182"/>
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
            <location filename="../../reader/gui/widgets/timeline_chart.py" line="120"/>
            <source>per day, at most {n}</source>
            <translation>按天，最多 {n} 篇</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/timeline_chart.py" line="121"/>
            <source>per week, at most {n}</source>
            <translation>按周，最多 {n} 篇</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/timeline_chart.py" line="122"/>
            <source>per month, at most {n}</source>
            <translation>按月，最多 {n} 篇</translation>
        </message>
        <message>
            <location filename="../../reader/gui/widgets/timeline_chart.py" line="154"/>
            <source>{label}: {n} posts</source>
            <translation>{label}：{n} 篇</translation>
        </message>
    </context>
</TS>
