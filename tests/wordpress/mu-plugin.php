<?php
// AgleaFeeds' test WordPress: with the option agleafeeds_rest_off set, the REST API refuses visitors, as
// security plugins that "disable the REST API" do (copied into wp-content/mu-plugins by wordpress.sh).
add_filter('rest_authentication_errors', function ($result) {
    if (get_option('agleafeeds_rest_off') && !is_user_logged_in()) {
        return new WP_Error('rest_disabled', 'The REST API is disabled for visitors.', ['status' => 401]);
    }
    return $result;
});
