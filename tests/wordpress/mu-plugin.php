<?php
// AgleaFeeds' test WordPress (copied into wp-content/mu-plugins by wordpress.sh), switched by options:
//   agleafeeds_rest_off = 1      the REST API refuses visitors, as security plugins that "disable the REST API" do;
//                         all    it refuses everyone, logged in or not (application passwords too).
//   agleafeeds_app_passwords_off application passwords unavailable, as on a site without HTTPS.
add_filter('rest_authentication_errors', function ($result) {
    $off = get_option('agleafeeds_rest_off');
    if ($off && ($off === 'all' || !is_user_logged_in())) {
        return new WP_Error('rest_disabled', 'The REST API is disabled' . ($off === 'all' ? '.' : ' for visitors.'), ['status' => 401]);
    }
    return $result;
});
add_filter('wp_is_application_passwords_available', function ($available) {
    return get_option('agleafeeds_app_passwords_off') ? false : $available;
});
// The tests post several comments from 127.0.0.1 within seconds: WordPress's 15-second flood check is off.
remove_action('check_comment_flood', 'check_comment_flood_db');
