<?php
// AgleaFeeds' test WordPress, driven through WordPress's own API (wp-load.php), never through its pages.
//   php site.php seed THEME                      drop every table, install, seed the deterministic blog
//   php site.php truth                           JSON: every public post and comment, and what must never appear
//   php site.php comment POST PARENT AUTHOR TEXT [URL]   a new approved comment (prints its id)
//   php site.php status COMMENT approve|hold|spam|trash
//   php site.php delete COMMENT                  deleted for good
//   php site.php edit-comment COMMENT TEXT
//   php site.php edit-post POST TEXT
//   php site.php post TITLE TEXT                 a new published post, now (prints its id)
//   php site.php post-status POST trash|private|draft|publish
//   php site.php option NAME VALUE               a setting, as Settings saves it (permalink_structure '' for plain links)
//   php site.php user LOGIN ROLE                 a user with a role (editor, author, …); prints its id
//   php site.php app-password LOGIN              a new application password of the user (prints it, once)
//   php site.php comment-status COMMENT          the comment's status as WordPress has it: approved|hold|spam|trash|none
//   php site.php history FILE N                  N comments of a labelled corpus (SMS TSV or CONTENT/CLASS CSV), drawn with a fixed
//                                                seed, as the blog's history: ham approved, spam in its spam, spread over its posts
// The site is chosen like the tests' Apache chooses it: WORDPRESS_CONFIG=agleafeeds (wordpress.sh writes it).
$port = getenv('AGLEAFEEDS_WP_PORT') ?: '8089';
$_SERVER['WORDPRESS_CONFIG'] = 'agleafeeds';
$_SERVER['HTTP_HOST'] = "127.0.0.1:$port";
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
$command = $argv[1] ?? '';
if ($command === 'seed') {
    define('WP_INSTALLING', true);
}
require '/usr/share/wordpress/wp-load.php';

function fail($message) { fwrite(STDERR, $message . "\n"); exit(1); }

function gmt($days, $hours = 0) {
    // Fixed instants: the seed is the same on every run.
    return gmdate('Y-m-d H:i:s', gmmktime(12, 0, 0, 3, 1, 2025) + $days * 86400 + $hours * 3600);
}

function add_post($title, $content, $gmt, $status = 'publish') {
    $local = get_date_from_gmt($gmt);
    $id = wp_insert_post(['post_title' => $title, 'post_content' => $content, 'post_status' => $status, 'post_author' => 1,
        'post_date' => $local, 'post_date_gmt' => $gmt, 'comment_status' => 'open', 'ping_status' => 'open'], true);
    if (is_wp_error($id)) { fail($id->get_error_message()); }
    return $id;
}

function add_comment($post, $author, $content, $gmt, $parent = 0, $approved = 1, $url = '', $type = 'comment') {
    $id = wp_insert_comment(['comment_post_ID' => $post, 'comment_author' => $author, 'comment_author_email' => strtolower(preg_replace('/\W+/', '.', $author)) . '@mail.example',
        'comment_author_url' => $url, 'comment_content' => $content, 'comment_parent' => $parent, 'comment_approved' => $approved,
        'comment_type' => $type, 'comment_date' => get_date_from_gmt($gmt), 'comment_date_gmt' => $gmt, 'comment_author_IP' => '192.0.2.1']);
    if (!$id) { fail("comment not inserted on post $post"); }
    return $id;
}

function seed($theme) {
    global $wpdb;
    foreach ($wpdb->get_col('SHOW TABLES') as $table) {
        $wpdb->query("DROP TABLE `$table`");
    }
    wp_cache_flush();
    require_once ABSPATH . 'wp-admin/includes/upgrade.php';
    $result = wp_install('AGLA Test Blog', 'admin', 'admin@blog.example', true, '', 'admin-password-for-tests');
    if (is_wp_error($result)) { fail($result->get_error_message()); }
    wp_delete_post(1, true); // "Hello world!"
    wp_delete_post(2, true); // "Sample Page"
    wp_delete_post(3, true); // the privacy policy draft
    foreach ([
        'permalink_structure' => '/%year%/%monthnum%/%postname%/', 'timezone_string' => 'Asia/Seoul', 'blogdescription' => 'Learning in public',
        'page_comments' => 1, 'comments_per_page' => 5, 'default_comments_page' => 'newest', 'comment_order' => 'asc',
        'thread_comments' => 1, 'thread_comments_depth' => 5, 'comment_moderation' => 0, 'comment_previously_approved' => 0,
        'require_name_email' => 0, 'use_smilies' => 1, 'posts_per_rss' => 10, 'posts_per_page' => 10, 'rss_use_excerpt' => 0,
    ] as $name => $value) {
        update_option($name, $value);
    }
    switch_theme($theme);
    flush_rewrite_rules();

    // Sixteen posts, oldest first; the newest ten are in /feed/, the rest only on /feed/?paged=2 and in the API.
    $jack = add_post("Jack Ma's Advice – Learn from Failure and Share Your Success",
        "<p>Jack Ma's advice -- \"learn from failure\" -- is simple :)</p>\n<p>Share your success &amp; your <a href=\"https://example.org/lessons?a=1&amp;b=2\">lessons</a>.</p>", gmt(0));
    $korean = add_post('한국어로 쓴 글: 실패에서 배우기', '<p>실패는 성공의 어머니입니다. 😀</p>', gmt(2));
    $pinged = add_post('Notes on failure, part 1', '<p>What failing taught me.</p>', gmt(4));
    $single = add_post('A post with one comment', '<p>Only one reader wrote back.</p>', gmt(6));
    $posts = [$jack, $korean, $pinged, $single];
    for ($i = 5; $i <= 16; $i++) {
        $posts[] = add_post("Weekly notes $i", "<p>Week $i: what went right, what went wrong.</p>", gmt(2 * $i));
    }
    $private = add_post('Private plans nobody may read', '<p>Secret.</p>', gmt(40), 'private');
    $draft = add_post('Draft not yet published', '<p>Unfinished.</p>', gmt(41), 'draft');

    // Jack Ma's post: twelve top-level comments (three comment pages of five), threads three deep.
    $names = ['Alice', 'Bob', 'Chen Wei', 'Dana', 'Émile', 'Farah', 'Gus', 'Hana', 'Ivan', 'Jun', 'Kofi', 'Lena'];
    $top = [];
    foreach ($names as $n => $name) {
        $top[$n] = add_comment($jack, $name, "Comment $n by $name: failure is a teacher -- isn't it? :)", gmt(0, 2 * $n + 1), 0, 1,
            $n % 3 === 0 ? 'https://' . strtolower(preg_replace('/\W+/', '', $name)) . '.example/' : '');
    }
    $reply = add_comment($jack, 'Bob', "Reply to Alice: <b>agreed</b> &amp; thanks for the \"lesson\".", gmt(0, 30), $top[0]);
    add_comment($jack, 'Alice', 'Reply to Bob, three deep: you are welcome 😀', gmt(0, 31), $reply);
    add_comment($jack, 'Dana', 'Another reply to Hana.', gmt(0, 32), $top[7]);
    add_comment($jack, 'Held Harry', 'A comment still held for moderation.', gmt(0, 33), 0, 0);
    add_comment($jack, 'Spammy Sam', 'Buy cheap followers now at the best price!', gmt(0, 34), 0, 'spam', 'https://cheap-followers.example/');
    add_comment($jack, 'Trashed Tom', 'A comment the owner trashed.', gmt(0, 35), 0, 'trash');

    $k = add_comment($korean, '김민준', '좋은 글 감사합니다!', gmt(2, 1));
    add_comment($korean, 'Lena', 'Reply in English: thank you.', gmt(2, 2), $k);

    add_comment($pinged, 'Other Blog', '[…] as this post explains, failure teaches […]', gmt(4, 3), 0, 1, 'https://other-blog.example/2025/03/reply/', 'pingback');
    add_comment($pinged, 'Omar', 'Looking forward to part 2.', gmt(4, 4));

    add_comment($single, 'Uma', 'The only comment here.', gmt(6, 1));

    foreach ($posts as $i => $id) {
        if ($i >= 4 && $i % 3 === 0) {
            add_comment($id, 'Reader ' . $i, "Thanks for week $i.", gmt(2 * ($i + 1), 5));
        }
    }

    add_comment($private, 'Insider', 'A comment on a private post.', gmt(40, 1));
    add_comment($draft, 'Early reader', 'A comment on a draft.', gmt(41, 1));

    // The sidebar's comment widgets link to other posts' comment pages: the classic Recent Comments
    // widget and the Latest Comments block (classic theme); a footer with the block (block theme).
    update_option('widget_block', [2 => ['content' => '<!-- wp:latest-comments {"commentsToShow":10} /-->'], '_multiwidget' => 1]);
    update_option('widget_recent-comments', [2 => ['title' => 'Recent Comments', 'number' => 10], '_multiwidget' => 1]);
    update_option('sidebars_widgets', ['wp_inactive_widgets' => [], 'sidebar-1' => ['block-2', 'recent-comments-2'], 'array_version' => 3]);
    if (wp_is_block_theme()) {
        $part = wp_insert_post(['post_type' => 'wp_template_part', 'post_name' => 'footer', 'post_title' => 'Footer', 'post_status' => 'publish',
            'post_content' => '<!-- wp:group {"layout":{"type":"constrained"}} --><div class="wp-block-group"><!-- wp:latest-comments {"commentsToShow":10} /--></div><!-- /wp:group -->'], true);
        if (is_wp_error($part)) { fail($part->get_error_message()); }
        wp_set_post_terms($part, [$theme], 'wp_theme');
        wp_set_post_terms($part, ['footer'], 'wp_template_part_area');
    }
    echo json_encode(['theme' => $theme, 'posts' => count($posts)]) . "\n";
}

// What a reader sees of some HTML, as plain text: emoji images as their alt, entities decoded once, spaces collapsed.
function plain($html) {
    $html = preg_replace('/<img[^>]*\balt="([^"]*)"[^>]*>/', '$1', $html);
    return trim(preg_replace('/\s+/u', ' ', html_entity_decode(wp_strip_all_tags($html), ENT_QUOTES | ENT_HTML5, 'UTF-8')));
}

function truth() {
    $posts = [];
    foreach (get_posts(['post_status' => 'publish', 'post_type' => 'post', 'numberposts' => -1, 'orderby' => 'ID', 'order' => 'ASC']) as $p) {
        $posts[] = ['id' => $p->ID, 'title' => plain(get_the_title($p)), 'rawTitle' => $p->post_title, 'link' => get_permalink($p), 'guid' => $p->guid,
            'dateGmt' => $p->post_date_gmt, 'modifiedGmt' => $p->post_modified_gmt, 'content' => $p->post_content, 'comments' => (int) $p->comment_count];
    }
    $comments = [];
    foreach (get_comments(['status' => 'approve', 'post_status' => 'publish', 'post_type' => 'post', 'orderby' => 'comment_ID', 'order' => 'ASC']) as $c) {
        $comments[] = ['id' => (int) $c->comment_ID, 'post' => (int) $c->comment_post_ID, 'parent' => (int) $c->comment_parent,
            'type' => $c->comment_type === '' ? 'comment' : $c->comment_type, 'author' => $c->comment_author, 'authorUrl' => $c->comment_author_url,
            'dateGmt' => $c->comment_date_gmt, 'content' => $c->comment_content, 'text' => plain(apply_filters('comment_text', get_comment_text($c), $c, [])),
            'link' => get_comment_link($c)];
    }
    $hidden = [];
    foreach (get_posts(['post_status' => ['private', 'draft', 'pending', 'trash'], 'post_type' => 'post', 'numberposts' => -1]) as $p) {
        $hidden[] = $p->post_title;
    }
    foreach (get_comments(['status' => 'all']) as $c) {
        $post = get_post($c->comment_post_ID);
        if ($c->comment_approved !== '1' || !$post || $post->post_status !== 'publish') {
            $hidden[] = $c->comment_content;
        }
    }
    foreach (get_comments(['status' => ['spam', 'trash']]) as $c) {
        $hidden[] = $c->comment_content;
    }
    echo json_encode(['posts' => $posts, 'comments' => $comments, 'neverShown' => array_values(array_unique($hidden))], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES) . "\n";
}

switch ($command) {
    case 'seed':
        seed($argv[2] ?? 'twentytwentyone');
        break;
    case 'truth':
        truth();
        break;
    case 'comment':
        echo add_comment((int) $argv[2], $argv[4], $argv[5], gmdate('Y-m-d H:i:s'), (int) $argv[3], 1, $argv[6] ?? '') . "\n";
        break;
    case 'status':
        wp_set_comment_status((int) $argv[2], $argv[3]) or fail('status not changed');
        break;
    case 'delete':
        wp_delete_comment((int) $argv[2], true) or fail('not deleted');
        break;
    case 'edit-comment':
        wp_update_comment(['comment_ID' => (int) $argv[2], 'comment_content' => $argv[3]]);
        break;
    case 'edit-post':
        $r = wp_update_post(['ID' => (int) $argv[2], 'post_content' => $argv[3]], true);
        if (is_wp_error($r)) { fail($r->get_error_message()); }
        break;
    case 'option':
        // Numbers stay strings, as the settings screens save them.
        update_option($argv[2], $argv[3]);
        if ($argv[2] === 'permalink_structure') { flush_rewrite_rules(); }
        break;
    case 'post-status':
        $r = $argv[3] === 'trash' ? wp_trash_post((int) $argv[2]) : wp_update_post(['ID' => (int) $argv[2], 'post_status' => $argv[3]], true);
        if (!$r || is_wp_error($r)) { fail('post status not changed'); }
        break;
    case 'user':
        $existing = get_user_by('login', $argv[2]);
        $id = $existing ? $existing->ID : wp_create_user($argv[2], wp_generate_password(24), $argv[2] . '@blog.example');
        if (is_wp_error($id)) { fail($id->get_error_message()); }
        (new WP_User($id))->set_role($argv[3]);
        echo $id . "\n";
        break;
    case 'app-password':
        $user = get_user_by('login', $argv[2]) or fail('no such user');
        $created = WP_Application_Passwords::create_new_application_password($user->ID, ['name' => 'AgleaFeeds ' . uniqid()]);
        if (is_wp_error($created)) { fail($created->get_error_message()); }
        echo WP_Application_Passwords::chunk_password($created[0]) . "\n";
        break;
    case 'comment-status':
        $status = wp_get_comment_status((int) $argv[2]);
        echo ($status === false ? 'none' : ($status === 'unapproved' ? 'hold' : $status)) . "\n";
        break;
    case 'history':
        $rows = [];
        if (str_ends_with($argv[2], '.tsv')) {
            foreach (file($argv[2], FILE_IGNORE_NEW_LINES) as $line) {
                [$label, $text] = array_pad(explode("\t", $line, 2), 2, '');
                $rows[] = [$label === 'spam', $text, ''];
            }
        } else {
            $handle = fopen($argv[2], 'r');
            $header = fgetcsv($handle);
            while (($row = fgetcsv($handle)) !== false) {
                $r = array_combine($header, array_pad($row, count($header), ''));
                $rows[] = [$r['CLASS'] === '1', $r['CONTENT'], $r['AUTHOR']];
            }
        }
        mt_srand(20261130);
        for ($i = count($rows) - 1; $i > 0; $i--) { $j = mt_rand(0, $i); [$rows[$i], $rows[$j]] = [$rows[$j], $rows[$i]]; }
        $posts = get_posts(['post_status' => 'publish', 'post_type' => 'post', 'numberposts' => -1, 'fields' => 'ids']);
        $n = min((int) $argv[3], count($rows));
        $spam = 0;
        for ($i = 0; $i < $n; $i++) {
            [$isSpam, $text, $author] = $rows[$i];
            add_comment($posts[$i % count($posts)], $author !== '' ? $author : 'Reader ' . $i, $text, gmdate('Y-m-d H:i:s', time() - ($n - $i) * 600), 0, $isSpam ? 'spam' : 1);
            $spam += $isSpam ? 1 : 0;
        }
        echo json_encode(['comments' => $n, 'spam' => $spam]) . "\n";
        break;
    case 'post':
        echo add_post($argv[2], $argv[3], gmdate('Y-m-d H:i:s')) . "\n";
        break;
    default:
        fail('usage: php site.php seed THEME | truth | comment POST PARENT AUTHOR TEXT [URL] | status ID STATUS | delete ID | edit-comment ID TEXT | edit-post ID TEXT | post TITLE TEXT | post-status ID STATUS | option NAME VALUE');
}
