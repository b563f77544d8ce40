/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query AbuseLastTen {\n    events(stream: \"big-entries\", last: 10) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n": typeof types.AbuseLastTenDocument,
    "\n  mutation AccountsSignUp($u: String!, $p: String!) {\n    signUp(username: $u, password: $p) {\n      token\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n": typeof types.AccountsSignUpDocument,
    "\n  query BodyLimitMe {\n    me {\n      id\n    }\n  }\n": typeof types.BodyLimitMeDocument,
    "\n  query BodyLimitMeAndType($t: String!) {\n    me {\n      username\n    }\n    t: __type(name: $t) {\n      name\n    }\n  }\n": typeof types.BodyLimitMeAndTypeDocument,
    "\n  subscription ChaosRoomAdded {\n    roomAdded {\n      id\n    }\n  }\n": typeof types.ChaosRoomAddedDocument,
    "\n  subscription ChaosKills {\n    channelPattern(pattern: \"kills.*\") {\n      channel\n    }\n  }\n": typeof types.ChaosKillsDocument,
    "\n  query ChaosRooms {\n    rooms {\n      id\n    }\n  }\n": typeof types.ChaosRoomsDocument,
    "\n  query SeedRooms {\n    rooms {\n      id\n      name\n      private\n      lastMessage {\n        text\n      }\n    }\n  }\n": typeof types.SeedRoomsDocument,
    "\n  subscription SeedPrivateAdded {\n    messageAdded(roomId: \"1:2\") {\n      text\n      from {\n        id\n      }\n    }\n  }\n": typeof types.SeedPrivateAddedDocument,
    "\n  query SeedGeneral($after: String) {\n    messages(roomId: \"0\", first: 10, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          text\n          createdAt\n          from {\n            id\n            username\n          }\n        }\n      }\n    }\n  }\n": typeof types.SeedGeneralDocument,
    "\n  mutation ChatSend($roomId: ID!, $text: String!) {\n    sendMessage(roomId: $roomId, text: $text) {\n      id\n      roomId\n      text\n      createdAt\n      from {\n        id\n        username\n      }\n    }\n  }\n": typeof types.ChatSendDocument,
    "\n  mutation ChatOpen($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      id\n      name\n      private\n    }\n  }\n": typeof types.ChatOpenDocument,
    "\n  query ChatRooms {\n    rooms {\n      id\n      name\n      private\n      lastMessage {\n        text\n        from {\n          username\n        }\n      }\n    }\n  }\n": typeof types.ChatRoomsDocument,
    "\n  query ChatPartners {\n    rooms {\n      id\n      partner {\n        id\n        username\n      }\n    }\n  }\n": typeof types.ChatPartnersDocument,
    "\n  query ChatPage($roomId: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    messages(roomId: $roomId, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          text\n          from {\n            id\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": typeof types.ChatPageDocument,
    "\n  query ChatAuthors($roomId: ID!, $last: Int) {\n    messages(roomId: $roomId, last: $last) {\n      edges {\n        node {\n          from {\n            id\n            username\n            online\n          }\n        }\n      }\n    }\n  }\n": typeof types.ChatAuthorsDocument,
    "\n  subscription ChatRoomAdded {\n    roomAdded {\n      id\n      name\n      private\n    }\n  }\n": typeof types.ChatRoomAddedDocument,
    "\n  query ChatUsers($ids: [ID!]!) {\n    users(ids: $ids) {\n      id\n      username\n    }\n  }\n": typeof types.ChatUsersDocument,
    "\n  query ClusterChatHistory($roomId: ID!, $last: Int) {\n    messages(roomId: $roomId, last: $last) {\n      edges {\n        node {\n          id\n          text\n        }\n      }\n    }\n  }\n": typeof types.ClusterChatHistoryDocument,
    "\n  query ClusterStreamsEvents($stream: String!) {\n    events(stream: $stream, first: 100) {\n      edges {\n        node {\n          id\n          data\n        }\n      }\n    }\n  }\n": typeof types.ClusterStreamsEventsDocument,
    "\n  subscription FanoutChannel($name: String!, $withChannel: Boolean!) {\n    channel(name: $name) {\n      channel @include(if: $withChannel)\n      message\n    }\n  }\n": typeof types.FanoutChannelDocument,
    "\n  subscription FanoutMine {\n    messageAdded(roomId: \"0\") {\n      text\n      mine\n    }\n  }\n": typeof types.FanoutMineDocument,
    "\n  subscription FanoutText {\n    messageAdded(roomId: \"0\") {\n      text\n    }\n  }\n": typeof types.FanoutTextDocument,
    "\n  subscription FanoutDated {\n    messageAdded(roomId: \"0\") {\n      text\n      createdAt\n    }\n  }\n": typeof types.FanoutDatedDocument,
    "\n  subscription LiveSharingWeb($after: String) {\n    messageAdded(after: $after) {\n      id\n      roomId\n      text\n      mine\n      from {\n        id\n        username\n        online\n      }\n    }\n  }\n": typeof types.LiveSharingWebDocument,
    "\n  mutation LiveSharingOpen($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      id\n    }\n  }\n": typeof types.LiveSharingOpenDocument,
    "\n  subscription LiveSharingOnline {\n    messageAdded(roomId: \"0\") {\n      text\n      from {\n        username\n        online\n      }\n    }\n  }\n": typeof types.LiveSharingOnlineDocument,
    "\n  subscription LiveSharingPresence {\n    presence {\n      online\n    }\n  }\n": typeof types.LiveSharingPresenceDocument,
    "\n  query LiveSharingOnlineUsers {\n    onlineUsers {\n      id\n    }\n  }\n": typeof types.LiveSharingOnlineUsersDocument,
    "\n  query MetricsBadRoom {\n    messages(roomId: \"not a room\") {\n      edges {\n        cursor\n      }\n    }\n  }\n": typeof types.MetricsBadRoomDocument,
    "\n  query DeadLettersView($q: String!) {\n    deadJobs(queue: $q, first: 100) {\n      id\n      attempts\n      payload\n    }\n    queueStats(queue: $q) {\n      waiting\n      processing\n      dead\n    }\n  }\n": typeof types.DeadLettersViewDocument,
    "\n  mutation DeadLettersRetry($q: String!, $ids: [ID!]!) {\n    retryDeadJobs(queue: $q, ids: $ids)\n  }\n": typeof types.DeadLettersRetryDocument,
    "\n  mutation DeadLettersPurge($q: String!) {\n    purgeDeadJobs(queue: $q)\n  }\n": typeof types.DeadLettersPurgeDocument,
    "\n  query DeadLettersJob($q: String!, $id: ID!) {\n    job(queue: $q, id: $id) {\n      state\n      attempts\n    }\n  }\n": typeof types.DeadLettersJobDocument,
    "\n  query DeadLettersAge($q: String!) {\n    queueStats(queue: $q) {\n      waiting\n      oldestWaitingAgeMs\n    }\n  }\n": typeof types.DeadLettersAgeDocument,
    "\n  query OpsStreamInfo($s: String!) {\n    streamInfo(stream: $s) {\n      stream\n      length\n      firstId\n      lastId\n      lastGeneratedId\n      entriesAdded\n      groups {\n        name\n        consumers\n        pending\n        lag\n        lastDeliveredId\n        entriesRead\n        consumerDetails {\n          name\n          pending\n          idleMs\n        }\n      }\n    }\n  }\n": typeof types.OpsStreamInfoDocument,
    "\n  query OpsChannels($p: String, $first: Int) {\n    channels(pattern: $p, first: $first) {\n      total\n      truncated\n      channels {\n        name\n        subscribers\n      }\n    }\n  }\n": typeof types.OpsChannelsDocument,
    "\n  mutation OpsCreateKey($r: [String!]!) {\n    createApiKey(name: \"ops\", roles: $r) {\n      key\n    }\n  }\n": typeof types.OpsCreateKeyDocument,
    "\n  query OpsAdminOnly {\n    streamInfo(stream: \"orders\") {\n      length\n    }\n    channels {\n      total\n    }\n  }\n": typeof types.OpsAdminOnlyDocument,
    "\n  subscription OpsStats {\n    stats {\n      at\n      instance {\n        id\n        webSockets\n        sseStreams\n        subscriptions\n        connections\n        deliveries\n        deliveriesPerSecond\n        denials\n      }\n      cluster {\n        webSockets\n        subscriptions\n        deliveries\n        instances {\n          id\n          webSockets\n        }\n      }\n    }\n  }\n": typeof types.OpsStatsDocument,
    "\n  query ApiKeysIdentity {\n    identity {\n      kind\n      roles\n      name\n    }\n  }\n": typeof types.ApiKeysIdentityDocument,
    "\n  mutation ApiKeysCreate($name: String!, $roles: [String!]!) {\n    createApiKey(name: $name, roles: $roles) {\n      key\n      apiKey {\n        id\n        name\n        roles\n      }\n    }\n  }\n": typeof types.ApiKeysCreateDocument,
    "\n  query ApiKeysList {\n    apiKeys {\n      id\n      name\n    }\n  }\n": typeof types.ApiKeysListDocument,
    "\n  mutation ApiKeysRevoke($id: ID!) {\n    revokeApiKey(id: $id)\n  }\n": typeof types.ApiKeysRevokeDocument,
    "\n  query JwtIdentity {\n    identity {\n      kind\n      userId\n      roles\n      name\n    }\n    me {\n      id\n      username\n    }\n  }\n": typeof types.JwtIdentityDocument,
    "\n  query JwtUser($s: String!) {\n    jwtUser(subject: $s) {\n      id\n      username\n    }\n  }\n": typeof types.JwtUserDocument,
    "\n  query JwtOnline {\n    onlineUsers {\n      id\n      username\n    }\n  }\n": typeof types.JwtOnlineDocument,
    "\n  subscription JwtGeneralFeed {\n    messageAdded(roomId: \"0\") {\n      text\n      from {\n        id\n        username\n      }\n    }\n  }\n": typeof types.JwtGeneralFeedDocument,
    "\n  query PolicyHistory($stream: String!) {\n    events(stream: $stream) {\n      edges {\n        cursor\n      }\n    }\n  }\n": typeof types.PolicyHistoryDocument,
    "\n  mutation PolicyTrimmingAdd($stream: String!, $data: JSON!, $maxLength: Int) {\n    addEvent(stream: $stream, data: $data, maxLength: $maxLength) {\n      id\n    }\n  }\n": typeof types.PolicyTrimmingAddDocument,
    "mutation PrivatePublish($n: String!) { publish(channel: $n, message: 1) }": typeof types.PrivatePublishDocument,
    "query PrivateEvents($n: String!) { events(stream: $n) { edges { cursor } } }": typeof types.PrivateEventsDocument,
    "mutation PrivateAddEvent($n: String!) { addEvent(stream: $n, data: { a: \"1\" }) { id } }": typeof types.PrivateAddEventDocument,
    "mutation PrivateAddEventTrimmed($n: String!) { addEvent(stream: $n, data: { a: \"1\" }, maxLength: 1000) { id } }": typeof types.PrivateAddEventTrimmedDocument,
    "mutation PrivateCreateGroup($n: String!) { createConsumerGroup(stream: $n, group: $n) }": typeof types.PrivateCreateGroupDocument,
    "query PrivatePending($n: String!) { pendingEvents(stream: $n, group: $n) { id } }": typeof types.PrivatePendingDocument,
    "mutation PrivateAckEvents($n: String!) { ackEvents(stream: $n, group: $n, ids: [\"1-1\"]) }": typeof types.PrivateAckEventsDocument,
    "mutation PrivateEnqueue($n: String!) { enqueue(queue: $n, payload: { secret: \"s3cr3t\" }) { id } }": typeof types.PrivateEnqueueDocument,
    "query PrivateQueueLength($n: String!) { queueLength(queue: $n) }": typeof types.PrivateQueueLengthDocument,
    "query PrivateQueueStats($n: String!) { queueStats(queue: $n) { waiting } }": typeof types.PrivateQueueStatsDocument,
    "query PrivateDeadJobs($n: String!) { deadJobs(queue: $n) { id } }": typeof types.PrivateDeadJobsDocument,
    "mutation PrivateDequeue($n: String!) { dequeue(queue: $n) { id payload } }": typeof types.PrivateDequeueDocument,
    "mutation PrivateAckJob($n: String!) { ackJob(queue: $n, id: \"00000000-0000-4000-8000-000000000000\") }": typeof types.PrivateAckJobDocument,
    "subscription PrivateChannel($n: String!) { channel(name: $n) { message } }": typeof types.PrivateChannelDocument,
    "subscription PrivatePattern($n: String!) { channelPattern(pattern: $n) { message } }": typeof types.PrivatePatternDocument,
    "subscription PrivateFollow($n: String!) { events(stream: $n) { id } }": typeof types.PrivateFollowDocument,
    "subscription PrivateFollowAfter($n: String!) { events(stream: $n, after: \"0\") { id } }": typeof types.PrivateFollowAfterDocument,
    "subscription PrivateGroupEvents($n: String!) { groupEvents(stream: $n, group: $n, consumer: \"c\") { id } }": typeof types.PrivateGroupEventsDocument,
    "subscription PrivateJobs($n: String!) { jobs(queue: $n) { id } }": typeof types.PrivateJobsDocument,
    "\n  subscription PrivatePatternChannel($p: String!) {\n    channelPattern(pattern: $p) {\n      channel\n    }\n  }\n": typeof types.PrivatePatternChannelDocument,
    "\n  mutation PrivateCreateWorkers($s: String!) {\n    createConsumerGroup(stream: $s, group: \"workers\")\n  }\n": typeof types.PrivateCreateWorkersDocument,
    "\n  subscription PrivateGroupEventIds($s: String!, $g: String!, $c: String!) {\n    groupEvents(stream: $s, group: $g, consumer: $c) {\n      id\n    }\n  }\n": typeof types.PrivateGroupEventIdsDocument,
    "\n  query PrivateApiKeyIdentity {\n    identity {\n      kind\n      roles\n      name\n      expiresAt\n    }\n  }\n": typeof types.PrivateApiKeyIdentityDocument,
    "\n  query RolesListKeys {\n    apiKeys {\n      id\n    }\n  }\n": typeof types.RolesListKeysDocument,
    "\n  query RolesMine {\n    identity {\n      roles\n    }\n  }\n": typeof types.RolesMineDocument,
    "\n  query RolesWho {\n    identity {\n      userId\n      roles\n    }\n  }\n": typeof types.RolesWhoDocument,
    "\n  query ProtocolMyId {\n    me {\n      id\n    }\n  }\n": typeof types.ProtocolMyIdDocument,
    "\n  query ProtocolMyName {\n    me {\n      username\n    }\n  }\n": typeof types.ProtocolMyNameDocument,
    "\n  fragment QueuesFeaturesJob on Job {\n    id\n    payload\n    attempts\n    state\n    priority\n    runAt\n    progress\n    result\n    failedReason\n    key\n  }\n": typeof types.QueuesFeaturesJobFragmentDoc,
    "\n  mutation QueuesFeaturesEnqueue($q: String!, $p: JSON!, $d: Int, $pr: JobPriority, $k: String, $b: JobBackoffInput) {\n    enqueue(queue: $q, payload: $p, delaySeconds: $d, priority: $pr, key: $k, backoff: $b) {\n      ...QueuesFeaturesJob\n    }\n  }\n": typeof types.QueuesFeaturesEnqueueDocument,
    "\n  mutation QueuesFeaturesDequeue($q: String!, $t: Float) {\n    dequeue(queue: $q, timeoutSeconds: $t) {\n      ...QueuesFeaturesJob\n    }\n  }\n": typeof types.QueuesFeaturesDequeueDocument,
    "\n  mutation QueuesFeaturesAck($q: String!, $id: ID!, $r: JSON) {\n    ackJob(queue: $q, id: $id, result: $r)\n  }\n": typeof types.QueuesFeaturesAckDocument,
    "\n  mutation QueuesFeaturesFail($q: String!, $id: ID!, $why: String) {\n    failJob(queue: $q, id: $id, reason: $why)\n  }\n": typeof types.QueuesFeaturesFailDocument,
    "\n  mutation QueuesFeaturesProgress($q: String!, $id: ID!, $p: JSON!) {\n    reportJobProgress(queue: $q, id: $id, progress: $p)\n  }\n": typeof types.QueuesFeaturesProgressDocument,
    "\n  query QueuesFeaturesJobRecord($q: String!, $id: ID!) {\n    job(queue: $q, id: $id) {\n      ...QueuesFeaturesJob\n    }\n  }\n": typeof types.QueuesFeaturesJobRecordDocument,
    "\n  subscription QueuesFeaturesUpdates($q: String!, $id: ID!) {\n    jobUpdates(queue: $q, id: $id) {\n      ...QueuesFeaturesJob\n    }\n  }\n": typeof types.QueuesFeaturesUpdatesDocument,
    "\n  subscription QueuesFeaturesJobs($q: String!, $c: Int) {\n    jobs(queue: $q, concurrency: $c) {\n      ...QueuesFeaturesJob\n    }\n  }\n": typeof types.QueuesFeaturesJobsDocument,
    "\n  query QueuesFeaturesStats($q: String!) {\n    queueStats(queue: $q) {\n      waiting\n      processing\n      dead\n      delayed\n      paused\n    }\n  }\n": typeof types.QueuesFeaturesStatsDocument,
    "\n  mutation QueuesFeaturesPause($q: String!) {\n    pauseQueue(queue: $q)\n  }\n": typeof types.QueuesFeaturesPauseDocument,
    "\n  mutation QueuesFeaturesResume($q: String!) {\n    resumeQueue(queue: $q)\n  }\n": typeof types.QueuesFeaturesResumeDocument,
    "\n  mutation RateLimitSet($q: String!, $max: Int!, $ms: Int!) {\n    setQueueRateLimit(queue: $q, max: $max, durationMs: $ms) {\n      queue\n      max\n      durationMs\n    }\n  }\n": typeof types.RateLimitSetDocument,
    "\n  mutation RateLimitClear($q: String!) {\n    clearQueueRateLimit(queue: $q)\n  }\n": typeof types.RateLimitClearDocument,
    "\n  query RateLimitStats($q: String!) {\n    queueStats(queue: $q) {\n      waiting\n      processing\n      paused\n      rateLimit {\n        max\n        durationMs\n      }\n    }\n  }\n": typeof types.RateLimitStatsDocument,
    "\n  mutation RateLimitEnqueue($q: String!, $p: JSON!) {\n    enqueue(queue: $q, payload: $p) {\n      id\n    }\n  }\n": typeof types.RateLimitEnqueueDocument,
    "\n  mutation RateLimitDequeue($q: String!, $t: Float) {\n    dequeue(queue: $q, timeoutSeconds: $t) {\n      id\n      payload\n    }\n  }\n": typeof types.RateLimitDequeueDocument,
    "\n  mutation RateLimitAck($q: String!, $id: ID!) {\n    ackJob(queue: $q, id: $id)\n  }\n": typeof types.RateLimitAckDocument,
    "\n  subscription RateLimitJobs($q: String!, $c: Int) {\n    jobs(queue: $q, concurrency: $c) {\n      id\n      payload\n    }\n  }\n": typeof types.RateLimitJobsDocument,
    "\n  mutation RateLimitPause($q: String!) {\n    pauseQueue(queue: $q)\n  }\n": typeof types.RateLimitPauseDocument,
    "\n  mutation RateLimitResume($q: String!) {\n    resumeQueue(queue: $q)\n  }\n": typeof types.RateLimitResumeDocument,
    "\n  subscription StreamsLiveFollow($stream: String!, $after: String) {\n    events(stream: $stream, after: $after) {\n      id\n      stream\n      data\n    }\n  }\n": typeof types.StreamsLiveFollowDocument,
    "\n  mutation StreamsAdd($stream: String!, $data: JSON!, $maxLength: Int) {\n    addEvent(stream: $stream, data: $data, maxLength: $maxLength) {\n      id\n      stream\n      data\n    }\n  }\n": typeof types.StreamsAddDocument,
    "\n  query StreamsPage($stream: String!, $first: Int, $after: String, $last: Int, $before: String) {\n    events(stream: $stream, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          stream\n          data\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": typeof types.StreamsPageDocument,
    "\n  mutation TestSignUp($u: String!, $p: String!) {\n    signUp(username: $u, password: $p) {\n      token\n      user {\n        id\n      }\n    }\n  }\n": typeof types.TestSignUpDocument,
    "\n  mutation TestSignIn($u: String!, $p: String!) {\n    signIn(username: $u, password: $p) {\n      token\n      user {\n        id\n        username\n      }\n    }\n  }\n": typeof types.TestSignInDocument,
    "\n  mutation TestSignOut {\n    signOut\n  }\n": typeof types.TestSignOutDocument,
    "\n  query TestMe {\n    me {\n      id\n      username\n    }\n  }\n": typeof types.TestMeDocument,
    "\n  mutation TestSend($roomId: ID!, $text: String!) {\n    sendMessage(roomId: $roomId, text: $text) {\n      id\n    }\n  }\n": typeof types.TestSendDocument,
    "\n  subscription TestMessageAdded($roomId: ID, $after: String) {\n    messageAdded(roomId: $roomId, after: $after) {\n      id\n    }\n  }\n": typeof types.TestMessageAddedDocument,
    "\n  mutation TestOpenRoom($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      id\n    }\n  }\n": typeof types.TestOpenRoomDocument,
    "\n  subscription TestMessageAddedText($roomId: ID, $after: String) {\n    messageAdded(roomId: $roomId, after: $after) {\n      id\n      roomId\n      text\n      from {\n        id\n      }\n    }\n  }\n": typeof types.TestMessageAddedTextDocument,
    "\n  subscription TestPresence {\n    presence {\n      online\n      user {\n        id\n        username\n      }\n    }\n  }\n": typeof types.TestPresenceDocument,
    "\n  query TestOnlineUsers {\n    onlineUsers {\n      id\n      online\n    }\n  }\n": typeof types.TestOnlineUsersDocument,
    "\n  mutation TestPublish($channel: String!, $message: JSON!) {\n    publish(channel: $channel, message: $message)\n  }\n": typeof types.TestPublishDocument,
    "\n  subscription TestChannel($name: String!) {\n    channel(name: $name) {\n      message\n    }\n  }\n": typeof types.TestChannelDocument,
    "\n  subscription TestChannelNamed($name: String!) {\n    channel(name: $name) {\n      channel\n      message\n    }\n  }\n": typeof types.TestChannelNamedDocument,
    "\n  subscription TestPattern($p: String!) {\n    channelPattern(pattern: $p) {\n      channel\n      message\n    }\n  }\n": typeof types.TestPatternDocument,
    "\n  mutation TestAddEvent($stream: String!, $data: JSON!) {\n    addEvent(stream: $stream, data: $data) {\n      id\n    }\n  }\n": typeof types.TestAddEventDocument,
    "\n  subscription TestEvents($stream: String!, $after: String) {\n    events(stream: $stream, after: $after) {\n      id\n    }\n  }\n": typeof types.TestEventsDocument,
    "\n  subscription TestFollow($stream: String!, $after: String) {\n    events(stream: $stream, after: $after) {\n      id\n      data\n    }\n  }\n": typeof types.TestFollowDocument,
    "\n  query TestPendingEvents($stream: String!, $group: String!) {\n    pendingEvents(stream: $stream, group: $group) {\n      id\n      consumer\n      idleMs\n      deliveries\n    }\n  }\n": typeof types.TestPendingEventsDocument,
    "\n  mutation TestCreateGroup($stream: String!, $group: String!, $startId: String) {\n    createConsumerGroup(stream: $stream, group: $group, startId: $startId)\n  }\n": typeof types.TestCreateGroupDocument,
    "\n  subscription TestGroupEvents($stream: String!, $group: String!, $consumer: String!) {\n    groupEvents(stream: $stream, group: $group, consumer: $consumer) {\n      id\n      data\n    }\n  }\n": typeof types.TestGroupEventsDocument,
    "\n  mutation TestAckEvents($stream: String!, $group: String!, $ids: [ID!]!) {\n    ackEvents(stream: $stream, group: $group, ids: $ids)\n  }\n": typeof types.TestAckEventsDocument,
    "\n  mutation TestEnqueue($q: String!, $p: JSON!, $priority: JobPriority) {\n    enqueue(queue: $q, payload: $p, priority: $priority) {\n      id\n      queue\n      payload\n      attempts\n    }\n  }\n": typeof types.TestEnqueueDocument,
    "\n  mutation TestDequeue($q: String!, $t: Float) {\n    dequeue(queue: $q, timeoutSeconds: $t) {\n      id\n      queue\n      payload\n      attempts\n    }\n  }\n": typeof types.TestDequeueDocument,
    "\n  mutation TestAckJob($q: String!, $id: ID!) {\n    ackJob(queue: $q, id: $id)\n  }\n": typeof types.TestAckJobDocument,
    "\n  subscription TestJobs($q: String!) {\n    jobs(queue: $q) {\n      id\n      queue\n      payload\n      attempts\n    }\n  }\n": typeof types.TestJobsDocument,
    "\n  query TestQueueStats($q: String!) {\n    queueStats(queue: $q) {\n      waiting\n      processing\n      dead\n    }\n  }\n": typeof types.TestQueueStatsDocument,
    "\n  query TestDeadJobs($q: String!) {\n    deadJobs(queue: $q) {\n      id\n      queue\n      payload\n      attempts\n    }\n  }\n": typeof types.TestDeadJobsDocument,
    "\n  query TestQueueLengthStats($q: String!) {\n    queueLength(queue: $q)\n    queueStats(queue: $q) {\n      waiting\n      processing\n      dead\n    }\n  }\n": typeof types.TestQueueLengthStatsDocument,
};
const documents: Documents = {
    "\n  query AbuseLastTen {\n    events(stream: \"big-entries\", last: 10) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n": types.AbuseLastTenDocument,
    "\n  mutation AccountsSignUp($u: String!, $p: String!) {\n    signUp(username: $u, password: $p) {\n      token\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n": types.AccountsSignUpDocument,
    "\n  query BodyLimitMe {\n    me {\n      id\n    }\n  }\n": types.BodyLimitMeDocument,
    "\n  query BodyLimitMeAndType($t: String!) {\n    me {\n      username\n    }\n    t: __type(name: $t) {\n      name\n    }\n  }\n": types.BodyLimitMeAndTypeDocument,
    "\n  subscription ChaosRoomAdded {\n    roomAdded {\n      id\n    }\n  }\n": types.ChaosRoomAddedDocument,
    "\n  subscription ChaosKills {\n    channelPattern(pattern: \"kills.*\") {\n      channel\n    }\n  }\n": types.ChaosKillsDocument,
    "\n  query ChaosRooms {\n    rooms {\n      id\n    }\n  }\n": types.ChaosRoomsDocument,
    "\n  query SeedRooms {\n    rooms {\n      id\n      name\n      private\n      lastMessage {\n        text\n      }\n    }\n  }\n": types.SeedRoomsDocument,
    "\n  subscription SeedPrivateAdded {\n    messageAdded(roomId: \"1:2\") {\n      text\n      from {\n        id\n      }\n    }\n  }\n": types.SeedPrivateAddedDocument,
    "\n  query SeedGeneral($after: String) {\n    messages(roomId: \"0\", first: 10, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          text\n          createdAt\n          from {\n            id\n            username\n          }\n        }\n      }\n    }\n  }\n": types.SeedGeneralDocument,
    "\n  mutation ChatSend($roomId: ID!, $text: String!) {\n    sendMessage(roomId: $roomId, text: $text) {\n      id\n      roomId\n      text\n      createdAt\n      from {\n        id\n        username\n      }\n    }\n  }\n": types.ChatSendDocument,
    "\n  mutation ChatOpen($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      id\n      name\n      private\n    }\n  }\n": types.ChatOpenDocument,
    "\n  query ChatRooms {\n    rooms {\n      id\n      name\n      private\n      lastMessage {\n        text\n        from {\n          username\n        }\n      }\n    }\n  }\n": types.ChatRoomsDocument,
    "\n  query ChatPartners {\n    rooms {\n      id\n      partner {\n        id\n        username\n      }\n    }\n  }\n": types.ChatPartnersDocument,
    "\n  query ChatPage($roomId: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    messages(roomId: $roomId, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          text\n          from {\n            id\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": types.ChatPageDocument,
    "\n  query ChatAuthors($roomId: ID!, $last: Int) {\n    messages(roomId: $roomId, last: $last) {\n      edges {\n        node {\n          from {\n            id\n            username\n            online\n          }\n        }\n      }\n    }\n  }\n": types.ChatAuthorsDocument,
    "\n  subscription ChatRoomAdded {\n    roomAdded {\n      id\n      name\n      private\n    }\n  }\n": types.ChatRoomAddedDocument,
    "\n  query ChatUsers($ids: [ID!]!) {\n    users(ids: $ids) {\n      id\n      username\n    }\n  }\n": types.ChatUsersDocument,
    "\n  query ClusterChatHistory($roomId: ID!, $last: Int) {\n    messages(roomId: $roomId, last: $last) {\n      edges {\n        node {\n          id\n          text\n        }\n      }\n    }\n  }\n": types.ClusterChatHistoryDocument,
    "\n  query ClusterStreamsEvents($stream: String!) {\n    events(stream: $stream, first: 100) {\n      edges {\n        node {\n          id\n          data\n        }\n      }\n    }\n  }\n": types.ClusterStreamsEventsDocument,
    "\n  subscription FanoutChannel($name: String!, $withChannel: Boolean!) {\n    channel(name: $name) {\n      channel @include(if: $withChannel)\n      message\n    }\n  }\n": types.FanoutChannelDocument,
    "\n  subscription FanoutMine {\n    messageAdded(roomId: \"0\") {\n      text\n      mine\n    }\n  }\n": types.FanoutMineDocument,
    "\n  subscription FanoutText {\n    messageAdded(roomId: \"0\") {\n      text\n    }\n  }\n": types.FanoutTextDocument,
    "\n  subscription FanoutDated {\n    messageAdded(roomId: \"0\") {\n      text\n      createdAt\n    }\n  }\n": types.FanoutDatedDocument,
    "\n  subscription LiveSharingWeb($after: String) {\n    messageAdded(after: $after) {\n      id\n      roomId\n      text\n      mine\n      from {\n        id\n        username\n        online\n      }\n    }\n  }\n": types.LiveSharingWebDocument,
    "\n  mutation LiveSharingOpen($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      id\n    }\n  }\n": types.LiveSharingOpenDocument,
    "\n  subscription LiveSharingOnline {\n    messageAdded(roomId: \"0\") {\n      text\n      from {\n        username\n        online\n      }\n    }\n  }\n": types.LiveSharingOnlineDocument,
    "\n  subscription LiveSharingPresence {\n    presence {\n      online\n    }\n  }\n": types.LiveSharingPresenceDocument,
    "\n  query LiveSharingOnlineUsers {\n    onlineUsers {\n      id\n    }\n  }\n": types.LiveSharingOnlineUsersDocument,
    "\n  query MetricsBadRoom {\n    messages(roomId: \"not a room\") {\n      edges {\n        cursor\n      }\n    }\n  }\n": types.MetricsBadRoomDocument,
    "\n  query DeadLettersView($q: String!) {\n    deadJobs(queue: $q, first: 100) {\n      id\n      attempts\n      payload\n    }\n    queueStats(queue: $q) {\n      waiting\n      processing\n      dead\n    }\n  }\n": types.DeadLettersViewDocument,
    "\n  mutation DeadLettersRetry($q: String!, $ids: [ID!]!) {\n    retryDeadJobs(queue: $q, ids: $ids)\n  }\n": types.DeadLettersRetryDocument,
    "\n  mutation DeadLettersPurge($q: String!) {\n    purgeDeadJobs(queue: $q)\n  }\n": types.DeadLettersPurgeDocument,
    "\n  query DeadLettersJob($q: String!, $id: ID!) {\n    job(queue: $q, id: $id) {\n      state\n      attempts\n    }\n  }\n": types.DeadLettersJobDocument,
    "\n  query DeadLettersAge($q: String!) {\n    queueStats(queue: $q) {\n      waiting\n      oldestWaitingAgeMs\n    }\n  }\n": types.DeadLettersAgeDocument,
    "\n  query OpsStreamInfo($s: String!) {\n    streamInfo(stream: $s) {\n      stream\n      length\n      firstId\n      lastId\n      lastGeneratedId\n      entriesAdded\n      groups {\n        name\n        consumers\n        pending\n        lag\n        lastDeliveredId\n        entriesRead\n        consumerDetails {\n          name\n          pending\n          idleMs\n        }\n      }\n    }\n  }\n": types.OpsStreamInfoDocument,
    "\n  query OpsChannels($p: String, $first: Int) {\n    channels(pattern: $p, first: $first) {\n      total\n      truncated\n      channels {\n        name\n        subscribers\n      }\n    }\n  }\n": types.OpsChannelsDocument,
    "\n  mutation OpsCreateKey($r: [String!]!) {\n    createApiKey(name: \"ops\", roles: $r) {\n      key\n    }\n  }\n": types.OpsCreateKeyDocument,
    "\n  query OpsAdminOnly {\n    streamInfo(stream: \"orders\") {\n      length\n    }\n    channels {\n      total\n    }\n  }\n": types.OpsAdminOnlyDocument,
    "\n  subscription OpsStats {\n    stats {\n      at\n      instance {\n        id\n        webSockets\n        sseStreams\n        subscriptions\n        connections\n        deliveries\n        deliveriesPerSecond\n        denials\n      }\n      cluster {\n        webSockets\n        subscriptions\n        deliveries\n        instances {\n          id\n          webSockets\n        }\n      }\n    }\n  }\n": types.OpsStatsDocument,
    "\n  query ApiKeysIdentity {\n    identity {\n      kind\n      roles\n      name\n    }\n  }\n": types.ApiKeysIdentityDocument,
    "\n  mutation ApiKeysCreate($name: String!, $roles: [String!]!) {\n    createApiKey(name: $name, roles: $roles) {\n      key\n      apiKey {\n        id\n        name\n        roles\n      }\n    }\n  }\n": types.ApiKeysCreateDocument,
    "\n  query ApiKeysList {\n    apiKeys {\n      id\n      name\n    }\n  }\n": types.ApiKeysListDocument,
    "\n  mutation ApiKeysRevoke($id: ID!) {\n    revokeApiKey(id: $id)\n  }\n": types.ApiKeysRevokeDocument,
    "\n  query JwtIdentity {\n    identity {\n      kind\n      userId\n      roles\n      name\n    }\n    me {\n      id\n      username\n    }\n  }\n": types.JwtIdentityDocument,
    "\n  query JwtUser($s: String!) {\n    jwtUser(subject: $s) {\n      id\n      username\n    }\n  }\n": types.JwtUserDocument,
    "\n  query JwtOnline {\n    onlineUsers {\n      id\n      username\n    }\n  }\n": types.JwtOnlineDocument,
    "\n  subscription JwtGeneralFeed {\n    messageAdded(roomId: \"0\") {\n      text\n      from {\n        id\n        username\n      }\n    }\n  }\n": types.JwtGeneralFeedDocument,
    "\n  query PolicyHistory($stream: String!) {\n    events(stream: $stream) {\n      edges {\n        cursor\n      }\n    }\n  }\n": types.PolicyHistoryDocument,
    "\n  mutation PolicyTrimmingAdd($stream: String!, $data: JSON!, $maxLength: Int) {\n    addEvent(stream: $stream, data: $data, maxLength: $maxLength) {\n      id\n    }\n  }\n": types.PolicyTrimmingAddDocument,
    "mutation PrivatePublish($n: String!) { publish(channel: $n, message: 1) }": types.PrivatePublishDocument,
    "query PrivateEvents($n: String!) { events(stream: $n) { edges { cursor } } }": types.PrivateEventsDocument,
    "mutation PrivateAddEvent($n: String!) { addEvent(stream: $n, data: { a: \"1\" }) { id } }": types.PrivateAddEventDocument,
    "mutation PrivateAddEventTrimmed($n: String!) { addEvent(stream: $n, data: { a: \"1\" }, maxLength: 1000) { id } }": types.PrivateAddEventTrimmedDocument,
    "mutation PrivateCreateGroup($n: String!) { createConsumerGroup(stream: $n, group: $n) }": types.PrivateCreateGroupDocument,
    "query PrivatePending($n: String!) { pendingEvents(stream: $n, group: $n) { id } }": types.PrivatePendingDocument,
    "mutation PrivateAckEvents($n: String!) { ackEvents(stream: $n, group: $n, ids: [\"1-1\"]) }": types.PrivateAckEventsDocument,
    "mutation PrivateEnqueue($n: String!) { enqueue(queue: $n, payload: { secret: \"s3cr3t\" }) { id } }": types.PrivateEnqueueDocument,
    "query PrivateQueueLength($n: String!) { queueLength(queue: $n) }": types.PrivateQueueLengthDocument,
    "query PrivateQueueStats($n: String!) { queueStats(queue: $n) { waiting } }": types.PrivateQueueStatsDocument,
    "query PrivateDeadJobs($n: String!) { deadJobs(queue: $n) { id } }": types.PrivateDeadJobsDocument,
    "mutation PrivateDequeue($n: String!) { dequeue(queue: $n) { id payload } }": types.PrivateDequeueDocument,
    "mutation PrivateAckJob($n: String!) { ackJob(queue: $n, id: \"00000000-0000-4000-8000-000000000000\") }": types.PrivateAckJobDocument,
    "subscription PrivateChannel($n: String!) { channel(name: $n) { message } }": types.PrivateChannelDocument,
    "subscription PrivatePattern($n: String!) { channelPattern(pattern: $n) { message } }": types.PrivatePatternDocument,
    "subscription PrivateFollow($n: String!) { events(stream: $n) { id } }": types.PrivateFollowDocument,
    "subscription PrivateFollowAfter($n: String!) { events(stream: $n, after: \"0\") { id } }": types.PrivateFollowAfterDocument,
    "subscription PrivateGroupEvents($n: String!) { groupEvents(stream: $n, group: $n, consumer: \"c\") { id } }": types.PrivateGroupEventsDocument,
    "subscription PrivateJobs($n: String!) { jobs(queue: $n) { id } }": types.PrivateJobsDocument,
    "\n  subscription PrivatePatternChannel($p: String!) {\n    channelPattern(pattern: $p) {\n      channel\n    }\n  }\n": types.PrivatePatternChannelDocument,
    "\n  mutation PrivateCreateWorkers($s: String!) {\n    createConsumerGroup(stream: $s, group: \"workers\")\n  }\n": types.PrivateCreateWorkersDocument,
    "\n  subscription PrivateGroupEventIds($s: String!, $g: String!, $c: String!) {\n    groupEvents(stream: $s, group: $g, consumer: $c) {\n      id\n    }\n  }\n": types.PrivateGroupEventIdsDocument,
    "\n  query PrivateApiKeyIdentity {\n    identity {\n      kind\n      roles\n      name\n      expiresAt\n    }\n  }\n": types.PrivateApiKeyIdentityDocument,
    "\n  query RolesListKeys {\n    apiKeys {\n      id\n    }\n  }\n": types.RolesListKeysDocument,
    "\n  query RolesMine {\n    identity {\n      roles\n    }\n  }\n": types.RolesMineDocument,
    "\n  query RolesWho {\n    identity {\n      userId\n      roles\n    }\n  }\n": types.RolesWhoDocument,
    "\n  query ProtocolMyId {\n    me {\n      id\n    }\n  }\n": types.ProtocolMyIdDocument,
    "\n  query ProtocolMyName {\n    me {\n      username\n    }\n  }\n": types.ProtocolMyNameDocument,
    "\n  fragment QueuesFeaturesJob on Job {\n    id\n    payload\n    attempts\n    state\n    priority\n    runAt\n    progress\n    result\n    failedReason\n    key\n  }\n": types.QueuesFeaturesJobFragmentDoc,
    "\n  mutation QueuesFeaturesEnqueue($q: String!, $p: JSON!, $d: Int, $pr: JobPriority, $k: String, $b: JobBackoffInput) {\n    enqueue(queue: $q, payload: $p, delaySeconds: $d, priority: $pr, key: $k, backoff: $b) {\n      ...QueuesFeaturesJob\n    }\n  }\n": types.QueuesFeaturesEnqueueDocument,
    "\n  mutation QueuesFeaturesDequeue($q: String!, $t: Float) {\n    dequeue(queue: $q, timeoutSeconds: $t) {\n      ...QueuesFeaturesJob\n    }\n  }\n": types.QueuesFeaturesDequeueDocument,
    "\n  mutation QueuesFeaturesAck($q: String!, $id: ID!, $r: JSON) {\n    ackJob(queue: $q, id: $id, result: $r)\n  }\n": types.QueuesFeaturesAckDocument,
    "\n  mutation QueuesFeaturesFail($q: String!, $id: ID!, $why: String) {\n    failJob(queue: $q, id: $id, reason: $why)\n  }\n": types.QueuesFeaturesFailDocument,
    "\n  mutation QueuesFeaturesProgress($q: String!, $id: ID!, $p: JSON!) {\n    reportJobProgress(queue: $q, id: $id, progress: $p)\n  }\n": types.QueuesFeaturesProgressDocument,
    "\n  query QueuesFeaturesJobRecord($q: String!, $id: ID!) {\n    job(queue: $q, id: $id) {\n      ...QueuesFeaturesJob\n    }\n  }\n": types.QueuesFeaturesJobRecordDocument,
    "\n  subscription QueuesFeaturesUpdates($q: String!, $id: ID!) {\n    jobUpdates(queue: $q, id: $id) {\n      ...QueuesFeaturesJob\n    }\n  }\n": types.QueuesFeaturesUpdatesDocument,
    "\n  subscription QueuesFeaturesJobs($q: String!, $c: Int) {\n    jobs(queue: $q, concurrency: $c) {\n      ...QueuesFeaturesJob\n    }\n  }\n": types.QueuesFeaturesJobsDocument,
    "\n  query QueuesFeaturesStats($q: String!) {\n    queueStats(queue: $q) {\n      waiting\n      processing\n      dead\n      delayed\n      paused\n    }\n  }\n": types.QueuesFeaturesStatsDocument,
    "\n  mutation QueuesFeaturesPause($q: String!) {\n    pauseQueue(queue: $q)\n  }\n": types.QueuesFeaturesPauseDocument,
    "\n  mutation QueuesFeaturesResume($q: String!) {\n    resumeQueue(queue: $q)\n  }\n": types.QueuesFeaturesResumeDocument,
    "\n  mutation RateLimitSet($q: String!, $max: Int!, $ms: Int!) {\n    setQueueRateLimit(queue: $q, max: $max, durationMs: $ms) {\n      queue\n      max\n      durationMs\n    }\n  }\n": types.RateLimitSetDocument,
    "\n  mutation RateLimitClear($q: String!) {\n    clearQueueRateLimit(queue: $q)\n  }\n": types.RateLimitClearDocument,
    "\n  query RateLimitStats($q: String!) {\n    queueStats(queue: $q) {\n      waiting\n      processing\n      paused\n      rateLimit {\n        max\n        durationMs\n      }\n    }\n  }\n": types.RateLimitStatsDocument,
    "\n  mutation RateLimitEnqueue($q: String!, $p: JSON!) {\n    enqueue(queue: $q, payload: $p) {\n      id\n    }\n  }\n": types.RateLimitEnqueueDocument,
    "\n  mutation RateLimitDequeue($q: String!, $t: Float) {\n    dequeue(queue: $q, timeoutSeconds: $t) {\n      id\n      payload\n    }\n  }\n": types.RateLimitDequeueDocument,
    "\n  mutation RateLimitAck($q: String!, $id: ID!) {\n    ackJob(queue: $q, id: $id)\n  }\n": types.RateLimitAckDocument,
    "\n  subscription RateLimitJobs($q: String!, $c: Int) {\n    jobs(queue: $q, concurrency: $c) {\n      id\n      payload\n    }\n  }\n": types.RateLimitJobsDocument,
    "\n  mutation RateLimitPause($q: String!) {\n    pauseQueue(queue: $q)\n  }\n": types.RateLimitPauseDocument,
    "\n  mutation RateLimitResume($q: String!) {\n    resumeQueue(queue: $q)\n  }\n": types.RateLimitResumeDocument,
    "\n  subscription StreamsLiveFollow($stream: String!, $after: String) {\n    events(stream: $stream, after: $after) {\n      id\n      stream\n      data\n    }\n  }\n": types.StreamsLiveFollowDocument,
    "\n  mutation StreamsAdd($stream: String!, $data: JSON!, $maxLength: Int) {\n    addEvent(stream: $stream, data: $data, maxLength: $maxLength) {\n      id\n      stream\n      data\n    }\n  }\n": types.StreamsAddDocument,
    "\n  query StreamsPage($stream: String!, $first: Int, $after: String, $last: Int, $before: String) {\n    events(stream: $stream, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          stream\n          data\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": types.StreamsPageDocument,
    "\n  mutation TestSignUp($u: String!, $p: String!) {\n    signUp(username: $u, password: $p) {\n      token\n      user {\n        id\n      }\n    }\n  }\n": types.TestSignUpDocument,
    "\n  mutation TestSignIn($u: String!, $p: String!) {\n    signIn(username: $u, password: $p) {\n      token\n      user {\n        id\n        username\n      }\n    }\n  }\n": types.TestSignInDocument,
    "\n  mutation TestSignOut {\n    signOut\n  }\n": types.TestSignOutDocument,
    "\n  query TestMe {\n    me {\n      id\n      username\n    }\n  }\n": types.TestMeDocument,
    "\n  mutation TestSend($roomId: ID!, $text: String!) {\n    sendMessage(roomId: $roomId, text: $text) {\n      id\n    }\n  }\n": types.TestSendDocument,
    "\n  subscription TestMessageAdded($roomId: ID, $after: String) {\n    messageAdded(roomId: $roomId, after: $after) {\n      id\n    }\n  }\n": types.TestMessageAddedDocument,
    "\n  mutation TestOpenRoom($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      id\n    }\n  }\n": types.TestOpenRoomDocument,
    "\n  subscription TestMessageAddedText($roomId: ID, $after: String) {\n    messageAdded(roomId: $roomId, after: $after) {\n      id\n      roomId\n      text\n      from {\n        id\n      }\n    }\n  }\n": types.TestMessageAddedTextDocument,
    "\n  subscription TestPresence {\n    presence {\n      online\n      user {\n        id\n        username\n      }\n    }\n  }\n": types.TestPresenceDocument,
    "\n  query TestOnlineUsers {\n    onlineUsers {\n      id\n      online\n    }\n  }\n": types.TestOnlineUsersDocument,
    "\n  mutation TestPublish($channel: String!, $message: JSON!) {\n    publish(channel: $channel, message: $message)\n  }\n": types.TestPublishDocument,
    "\n  subscription TestChannel($name: String!) {\n    channel(name: $name) {\n      message\n    }\n  }\n": types.TestChannelDocument,
    "\n  subscription TestChannelNamed($name: String!) {\n    channel(name: $name) {\n      channel\n      message\n    }\n  }\n": types.TestChannelNamedDocument,
    "\n  subscription TestPattern($p: String!) {\n    channelPattern(pattern: $p) {\n      channel\n      message\n    }\n  }\n": types.TestPatternDocument,
    "\n  mutation TestAddEvent($stream: String!, $data: JSON!) {\n    addEvent(stream: $stream, data: $data) {\n      id\n    }\n  }\n": types.TestAddEventDocument,
    "\n  subscription TestEvents($stream: String!, $after: String) {\n    events(stream: $stream, after: $after) {\n      id\n    }\n  }\n": types.TestEventsDocument,
    "\n  subscription TestFollow($stream: String!, $after: String) {\n    events(stream: $stream, after: $after) {\n      id\n      data\n    }\n  }\n": types.TestFollowDocument,
    "\n  query TestPendingEvents($stream: String!, $group: String!) {\n    pendingEvents(stream: $stream, group: $group) {\n      id\n      consumer\n      idleMs\n      deliveries\n    }\n  }\n": types.TestPendingEventsDocument,
    "\n  mutation TestCreateGroup($stream: String!, $group: String!, $startId: String) {\n    createConsumerGroup(stream: $stream, group: $group, startId: $startId)\n  }\n": types.TestCreateGroupDocument,
    "\n  subscription TestGroupEvents($stream: String!, $group: String!, $consumer: String!) {\n    groupEvents(stream: $stream, group: $group, consumer: $consumer) {\n      id\n      data\n    }\n  }\n": types.TestGroupEventsDocument,
    "\n  mutation TestAckEvents($stream: String!, $group: String!, $ids: [ID!]!) {\n    ackEvents(stream: $stream, group: $group, ids: $ids)\n  }\n": types.TestAckEventsDocument,
    "\n  mutation TestEnqueue($q: String!, $p: JSON!, $priority: JobPriority) {\n    enqueue(queue: $q, payload: $p, priority: $priority) {\n      id\n      queue\n      payload\n      attempts\n    }\n  }\n": types.TestEnqueueDocument,
    "\n  mutation TestDequeue($q: String!, $t: Float) {\n    dequeue(queue: $q, timeoutSeconds: $t) {\n      id\n      queue\n      payload\n      attempts\n    }\n  }\n": types.TestDequeueDocument,
    "\n  mutation TestAckJob($q: String!, $id: ID!) {\n    ackJob(queue: $q, id: $id)\n  }\n": types.TestAckJobDocument,
    "\n  subscription TestJobs($q: String!) {\n    jobs(queue: $q) {\n      id\n      queue\n      payload\n      attempts\n    }\n  }\n": types.TestJobsDocument,
    "\n  query TestQueueStats($q: String!) {\n    queueStats(queue: $q) {\n      waiting\n      processing\n      dead\n    }\n  }\n": types.TestQueueStatsDocument,
    "\n  query TestDeadJobs($q: String!) {\n    deadJobs(queue: $q) {\n      id\n      queue\n      payload\n      attempts\n    }\n  }\n": types.TestDeadJobsDocument,
    "\n  query TestQueueLengthStats($q: String!) {\n    queueLength(queue: $q)\n    queueStats(queue: $q) {\n      waiting\n      processing\n      dead\n    }\n  }\n": types.TestQueueLengthStatsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AbuseLastTen {\n    events(stream: \"big-entries\", last: 10) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').AbuseLastTenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AccountsSignUp($u: String!, $p: String!) {\n    signUp(username: $u, password: $p) {\n      token\n      user {\n        id\n        username\n        online\n      }\n    }\n  }\n"): typeof import('./graphql.js').AccountsSignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BodyLimitMe {\n    me {\n      id\n    }\n  }\n"): typeof import('./graphql.js').BodyLimitMeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BodyLimitMeAndType($t: String!) {\n    me {\n      username\n    }\n    t: __type(name: $t) {\n      name\n    }\n  }\n"): typeof import('./graphql.js').BodyLimitMeAndTypeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ChaosRoomAdded {\n    roomAdded {\n      id\n    }\n  }\n"): typeof import('./graphql.js').ChaosRoomAddedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ChaosKills {\n    channelPattern(pattern: \"kills.*\") {\n      channel\n    }\n  }\n"): typeof import('./graphql.js').ChaosKillsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChaosRooms {\n    rooms {\n      id\n    }\n  }\n"): typeof import('./graphql.js').ChaosRoomsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SeedRooms {\n    rooms {\n      id\n      name\n      private\n      lastMessage {\n        text\n      }\n    }\n  }\n"): typeof import('./graphql.js').SeedRoomsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SeedPrivateAdded {\n    messageAdded(roomId: \"1:2\") {\n      text\n      from {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql.js').SeedPrivateAddedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SeedGeneral($after: String) {\n    messages(roomId: \"0\", first: 10, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          text\n          createdAt\n          from {\n            id\n            username\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').SeedGeneralDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChatSend($roomId: ID!, $text: String!) {\n    sendMessage(roomId: $roomId, text: $text) {\n      id\n      roomId\n      text\n      createdAt\n      from {\n        id\n        username\n      }\n    }\n  }\n"): typeof import('./graphql.js').ChatSendDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChatOpen($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      id\n      name\n      private\n    }\n  }\n"): typeof import('./graphql.js').ChatOpenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatRooms {\n    rooms {\n      id\n      name\n      private\n      lastMessage {\n        text\n        from {\n          username\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').ChatRoomsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatPartners {\n    rooms {\n      id\n      partner {\n        id\n        username\n      }\n    }\n  }\n"): typeof import('./graphql.js').ChatPartnersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatPage($roomId: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    messages(roomId: $roomId, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          text\n          from {\n            id\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql.js').ChatPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatAuthors($roomId: ID!, $last: Int) {\n    messages(roomId: $roomId, last: $last) {\n      edges {\n        node {\n          from {\n            id\n            username\n            online\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').ChatAuthorsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ChatRoomAdded {\n    roomAdded {\n      id\n      name\n      private\n    }\n  }\n"): typeof import('./graphql.js').ChatRoomAddedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatUsers($ids: [ID!]!) {\n    users(ids: $ids) {\n      id\n      username\n    }\n  }\n"): typeof import('./graphql.js').ChatUsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClusterChatHistory($roomId: ID!, $last: Int) {\n    messages(roomId: $roomId, last: $last) {\n      edges {\n        node {\n          id\n          text\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').ClusterChatHistoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClusterStreamsEvents($stream: String!) {\n    events(stream: $stream, first: 100) {\n      edges {\n        node {\n          id\n          data\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').ClusterStreamsEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FanoutChannel($name: String!, $withChannel: Boolean!) {\n    channel(name: $name) {\n      channel @include(if: $withChannel)\n      message\n    }\n  }\n"): typeof import('./graphql.js').FanoutChannelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FanoutMine {\n    messageAdded(roomId: \"0\") {\n      text\n      mine\n    }\n  }\n"): typeof import('./graphql.js').FanoutMineDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FanoutText {\n    messageAdded(roomId: \"0\") {\n      text\n    }\n  }\n"): typeof import('./graphql.js').FanoutTextDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FanoutDated {\n    messageAdded(roomId: \"0\") {\n      text\n      createdAt\n    }\n  }\n"): typeof import('./graphql.js').FanoutDatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveSharingWeb($after: String) {\n    messageAdded(after: $after) {\n      id\n      roomId\n      text\n      mine\n      from {\n        id\n        username\n        online\n      }\n    }\n  }\n"): typeof import('./graphql.js').LiveSharingWebDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LiveSharingOpen($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      id\n    }\n  }\n"): typeof import('./graphql.js').LiveSharingOpenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveSharingOnline {\n    messageAdded(roomId: \"0\") {\n      text\n      from {\n        username\n        online\n      }\n    }\n  }\n"): typeof import('./graphql.js').LiveSharingOnlineDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveSharingPresence {\n    presence {\n      online\n    }\n  }\n"): typeof import('./graphql.js').LiveSharingPresenceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LiveSharingOnlineUsers {\n    onlineUsers {\n      id\n    }\n  }\n"): typeof import('./graphql.js').LiveSharingOnlineUsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MetricsBadRoom {\n    messages(roomId: \"not a room\") {\n      edges {\n        cursor\n      }\n    }\n  }\n"): typeof import('./graphql.js').MetricsBadRoomDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeadLettersView($q: String!) {\n    deadJobs(queue: $q, first: 100) {\n      id\n      attempts\n      payload\n    }\n    queueStats(queue: $q) {\n      waiting\n      processing\n      dead\n    }\n  }\n"): typeof import('./graphql.js').DeadLettersViewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeadLettersRetry($q: String!, $ids: [ID!]!) {\n    retryDeadJobs(queue: $q, ids: $ids)\n  }\n"): typeof import('./graphql.js').DeadLettersRetryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeadLettersPurge($q: String!) {\n    purgeDeadJobs(queue: $q)\n  }\n"): typeof import('./graphql.js').DeadLettersPurgeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeadLettersJob($q: String!, $id: ID!) {\n    job(queue: $q, id: $id) {\n      state\n      attempts\n    }\n  }\n"): typeof import('./graphql.js').DeadLettersJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeadLettersAge($q: String!) {\n    queueStats(queue: $q) {\n      waiting\n      oldestWaitingAgeMs\n    }\n  }\n"): typeof import('./graphql.js').DeadLettersAgeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OpsStreamInfo($s: String!) {\n    streamInfo(stream: $s) {\n      stream\n      length\n      firstId\n      lastId\n      lastGeneratedId\n      entriesAdded\n      groups {\n        name\n        consumers\n        pending\n        lag\n        lastDeliveredId\n        entriesRead\n        consumerDetails {\n          name\n          pending\n          idleMs\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').OpsStreamInfoDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OpsChannels($p: String, $first: Int) {\n    channels(pattern: $p, first: $first) {\n      total\n      truncated\n      channels {\n        name\n        subscribers\n      }\n    }\n  }\n"): typeof import('./graphql.js').OpsChannelsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpsCreateKey($r: [String!]!) {\n    createApiKey(name: \"ops\", roles: $r) {\n      key\n    }\n  }\n"): typeof import('./graphql.js').OpsCreateKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OpsAdminOnly {\n    streamInfo(stream: \"orders\") {\n      length\n    }\n    channels {\n      total\n    }\n  }\n"): typeof import('./graphql.js').OpsAdminOnlyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OpsStats {\n    stats {\n      at\n      instance {\n        id\n        webSockets\n        sseStreams\n        subscriptions\n        connections\n        deliveries\n        deliveriesPerSecond\n        denials\n      }\n      cluster {\n        webSockets\n        subscriptions\n        deliveries\n        instances {\n          id\n          webSockets\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').OpsStatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeysIdentity {\n    identity {\n      kind\n      roles\n      name\n    }\n  }\n"): typeof import('./graphql.js').ApiKeysIdentityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApiKeysCreate($name: String!, $roles: [String!]!) {\n    createApiKey(name: $name, roles: $roles) {\n      key\n      apiKey {\n        id\n        name\n        roles\n      }\n    }\n  }\n"): typeof import('./graphql.js').ApiKeysCreateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeysList {\n    apiKeys {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql.js').ApiKeysListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApiKeysRevoke($id: ID!) {\n    revokeApiKey(id: $id)\n  }\n"): typeof import('./graphql.js').ApiKeysRevokeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JwtIdentity {\n    identity {\n      kind\n      userId\n      roles\n      name\n    }\n    me {\n      id\n      username\n    }\n  }\n"): typeof import('./graphql.js').JwtIdentityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JwtUser($s: String!) {\n    jwtUser(subject: $s) {\n      id\n      username\n    }\n  }\n"): typeof import('./graphql.js').JwtUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JwtOnline {\n    onlineUsers {\n      id\n      username\n    }\n  }\n"): typeof import('./graphql.js').JwtOnlineDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription JwtGeneralFeed {\n    messageAdded(roomId: \"0\") {\n      text\n      from {\n        id\n        username\n      }\n    }\n  }\n"): typeof import('./graphql.js').JwtGeneralFeedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PolicyHistory($stream: String!) {\n    events(stream: $stream) {\n      edges {\n        cursor\n      }\n    }\n  }\n"): typeof import('./graphql.js').PolicyHistoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PolicyTrimmingAdd($stream: String!, $data: JSON!, $maxLength: Int) {\n    addEvent(stream: $stream, data: $data, maxLength: $maxLength) {\n      id\n    }\n  }\n"): typeof import('./graphql.js').PolicyTrimmingAddDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PrivatePublish($n: String!) { publish(channel: $n, message: 1) }"): typeof import('./graphql.js').PrivatePublishDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PrivateEvents($n: String!) { events(stream: $n) { edges { cursor } } }"): typeof import('./graphql.js').PrivateEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PrivateAddEvent($n: String!) { addEvent(stream: $n, data: { a: \"1\" }) { id } }"): typeof import('./graphql.js').PrivateAddEventDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PrivateAddEventTrimmed($n: String!) { addEvent(stream: $n, data: { a: \"1\" }, maxLength: 1000) { id } }"): typeof import('./graphql.js').PrivateAddEventTrimmedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PrivateCreateGroup($n: String!) { createConsumerGroup(stream: $n, group: $n) }"): typeof import('./graphql.js').PrivateCreateGroupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PrivatePending($n: String!) { pendingEvents(stream: $n, group: $n) { id } }"): typeof import('./graphql.js').PrivatePendingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PrivateAckEvents($n: String!) { ackEvents(stream: $n, group: $n, ids: [\"1-1\"]) }"): typeof import('./graphql.js').PrivateAckEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PrivateEnqueue($n: String!) { enqueue(queue: $n, payload: { secret: \"s3cr3t\" }) { id } }"): typeof import('./graphql.js').PrivateEnqueueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PrivateQueueLength($n: String!) { queueLength(queue: $n) }"): typeof import('./graphql.js').PrivateQueueLengthDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PrivateQueueStats($n: String!) { queueStats(queue: $n) { waiting } }"): typeof import('./graphql.js').PrivateQueueStatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PrivateDeadJobs($n: String!) { deadJobs(queue: $n) { id } }"): typeof import('./graphql.js').PrivateDeadJobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PrivateDequeue($n: String!) { dequeue(queue: $n) { id payload } }"): typeof import('./graphql.js').PrivateDequeueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PrivateAckJob($n: String!) { ackJob(queue: $n, id: \"00000000-0000-4000-8000-000000000000\") }"): typeof import('./graphql.js').PrivateAckJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription PrivateChannel($n: String!) { channel(name: $n) { message } }"): typeof import('./graphql.js').PrivateChannelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription PrivatePattern($n: String!) { channelPattern(pattern: $n) { message } }"): typeof import('./graphql.js').PrivatePatternDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription PrivateFollow($n: String!) { events(stream: $n) { id } }"): typeof import('./graphql.js').PrivateFollowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription PrivateFollowAfter($n: String!) { events(stream: $n, after: \"0\") { id } }"): typeof import('./graphql.js').PrivateFollowAfterDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription PrivateGroupEvents($n: String!) { groupEvents(stream: $n, group: $n, consumer: \"c\") { id } }"): typeof import('./graphql.js').PrivateGroupEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription PrivateJobs($n: String!) { jobs(queue: $n) { id } }"): typeof import('./graphql.js').PrivateJobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PrivatePatternChannel($p: String!) {\n    channelPattern(pattern: $p) {\n      channel\n    }\n  }\n"): typeof import('./graphql.js').PrivatePatternChannelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PrivateCreateWorkers($s: String!) {\n    createConsumerGroup(stream: $s, group: \"workers\")\n  }\n"): typeof import('./graphql.js').PrivateCreateWorkersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PrivateGroupEventIds($s: String!, $g: String!, $c: String!) {\n    groupEvents(stream: $s, group: $g, consumer: $c) {\n      id\n    }\n  }\n"): typeof import('./graphql.js').PrivateGroupEventIdsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PrivateApiKeyIdentity {\n    identity {\n      kind\n      roles\n      name\n      expiresAt\n    }\n  }\n"): typeof import('./graphql.js').PrivateApiKeyIdentityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RolesListKeys {\n    apiKeys {\n      id\n    }\n  }\n"): typeof import('./graphql.js').RolesListKeysDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RolesMine {\n    identity {\n      roles\n    }\n  }\n"): typeof import('./graphql.js').RolesMineDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RolesWho {\n    identity {\n      userId\n      roles\n    }\n  }\n"): typeof import('./graphql.js').RolesWhoDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProtocolMyId {\n    me {\n      id\n    }\n  }\n"): typeof import('./graphql.js').ProtocolMyIdDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProtocolMyName {\n    me {\n      username\n    }\n  }\n"): typeof import('./graphql.js').ProtocolMyNameDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment QueuesFeaturesJob on Job {\n    id\n    payload\n    attempts\n    state\n    priority\n    runAt\n    progress\n    result\n    failedReason\n    key\n  }\n"): typeof import('./graphql.js').QueuesFeaturesJobFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QueuesFeaturesEnqueue($q: String!, $p: JSON!, $d: Int, $pr: JobPriority, $k: String, $b: JobBackoffInput) {\n    enqueue(queue: $q, payload: $p, delaySeconds: $d, priority: $pr, key: $k, backoff: $b) {\n      ...QueuesFeaturesJob\n    }\n  }\n"): typeof import('./graphql.js').QueuesFeaturesEnqueueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QueuesFeaturesDequeue($q: String!, $t: Float) {\n    dequeue(queue: $q, timeoutSeconds: $t) {\n      ...QueuesFeaturesJob\n    }\n  }\n"): typeof import('./graphql.js').QueuesFeaturesDequeueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QueuesFeaturesAck($q: String!, $id: ID!, $r: JSON) {\n    ackJob(queue: $q, id: $id, result: $r)\n  }\n"): typeof import('./graphql.js').QueuesFeaturesAckDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QueuesFeaturesFail($q: String!, $id: ID!, $why: String) {\n    failJob(queue: $q, id: $id, reason: $why)\n  }\n"): typeof import('./graphql.js').QueuesFeaturesFailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QueuesFeaturesProgress($q: String!, $id: ID!, $p: JSON!) {\n    reportJobProgress(queue: $q, id: $id, progress: $p)\n  }\n"): typeof import('./graphql.js').QueuesFeaturesProgressDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query QueuesFeaturesJobRecord($q: String!, $id: ID!) {\n    job(queue: $q, id: $id) {\n      ...QueuesFeaturesJob\n    }\n  }\n"): typeof import('./graphql.js').QueuesFeaturesJobRecordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription QueuesFeaturesUpdates($q: String!, $id: ID!) {\n    jobUpdates(queue: $q, id: $id) {\n      ...QueuesFeaturesJob\n    }\n  }\n"): typeof import('./graphql.js').QueuesFeaturesUpdatesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription QueuesFeaturesJobs($q: String!, $c: Int) {\n    jobs(queue: $q, concurrency: $c) {\n      ...QueuesFeaturesJob\n    }\n  }\n"): typeof import('./graphql.js').QueuesFeaturesJobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query QueuesFeaturesStats($q: String!) {\n    queueStats(queue: $q) {\n      waiting\n      processing\n      dead\n      delayed\n      paused\n    }\n  }\n"): typeof import('./graphql.js').QueuesFeaturesStatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QueuesFeaturesPause($q: String!) {\n    pauseQueue(queue: $q)\n  }\n"): typeof import('./graphql.js').QueuesFeaturesPauseDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QueuesFeaturesResume($q: String!) {\n    resumeQueue(queue: $q)\n  }\n"): typeof import('./graphql.js').QueuesFeaturesResumeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RateLimitSet($q: String!, $max: Int!, $ms: Int!) {\n    setQueueRateLimit(queue: $q, max: $max, durationMs: $ms) {\n      queue\n      max\n      durationMs\n    }\n  }\n"): typeof import('./graphql.js').RateLimitSetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RateLimitClear($q: String!) {\n    clearQueueRateLimit(queue: $q)\n  }\n"): typeof import('./graphql.js').RateLimitClearDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RateLimitStats($q: String!) {\n    queueStats(queue: $q) {\n      waiting\n      processing\n      paused\n      rateLimit {\n        max\n        durationMs\n      }\n    }\n  }\n"): typeof import('./graphql.js').RateLimitStatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RateLimitEnqueue($q: String!, $p: JSON!) {\n    enqueue(queue: $q, payload: $p) {\n      id\n    }\n  }\n"): typeof import('./graphql.js').RateLimitEnqueueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RateLimitDequeue($q: String!, $t: Float) {\n    dequeue(queue: $q, timeoutSeconds: $t) {\n      id\n      payload\n    }\n  }\n"): typeof import('./graphql.js').RateLimitDequeueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RateLimitAck($q: String!, $id: ID!) {\n    ackJob(queue: $q, id: $id)\n  }\n"): typeof import('./graphql.js').RateLimitAckDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RateLimitJobs($q: String!, $c: Int) {\n    jobs(queue: $q, concurrency: $c) {\n      id\n      payload\n    }\n  }\n"): typeof import('./graphql.js').RateLimitJobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RateLimitPause($q: String!) {\n    pauseQueue(queue: $q)\n  }\n"): typeof import('./graphql.js').RateLimitPauseDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RateLimitResume($q: String!) {\n    resumeQueue(queue: $q)\n  }\n"): typeof import('./graphql.js').RateLimitResumeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription StreamsLiveFollow($stream: String!, $after: String) {\n    events(stream: $stream, after: $after) {\n      id\n      stream\n      data\n    }\n  }\n"): typeof import('./graphql.js').StreamsLiveFollowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StreamsAdd($stream: String!, $data: JSON!, $maxLength: Int) {\n    addEvent(stream: $stream, data: $data, maxLength: $maxLength) {\n      id\n      stream\n      data\n    }\n  }\n"): typeof import('./graphql.js').StreamsAddDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StreamsPage($stream: String!, $first: Int, $after: String, $last: Int, $before: String) {\n    events(stream: $stream, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          stream\n          data\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql.js').StreamsPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestSignUp($u: String!, $p: String!) {\n    signUp(username: $u, password: $p) {\n      token\n      user {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql.js').TestSignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestSignIn($u: String!, $p: String!) {\n    signIn(username: $u, password: $p) {\n      token\n      user {\n        id\n        username\n      }\n    }\n  }\n"): typeof import('./graphql.js').TestSignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestSignOut {\n    signOut\n  }\n"): typeof import('./graphql.js').TestSignOutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TestMe {\n    me {\n      id\n      username\n    }\n  }\n"): typeof import('./graphql.js').TestMeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestSend($roomId: ID!, $text: String!) {\n    sendMessage(roomId: $roomId, text: $text) {\n      id\n    }\n  }\n"): typeof import('./graphql.js').TestSendDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TestMessageAdded($roomId: ID, $after: String) {\n    messageAdded(roomId: $roomId, after: $after) {\n      id\n    }\n  }\n"): typeof import('./graphql.js').TestMessageAddedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestOpenRoom($userId: ID!) {\n    openPrivateRoom(userId: $userId) {\n      id\n    }\n  }\n"): typeof import('./graphql.js').TestOpenRoomDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TestMessageAddedText($roomId: ID, $after: String) {\n    messageAdded(roomId: $roomId, after: $after) {\n      id\n      roomId\n      text\n      from {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql.js').TestMessageAddedTextDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TestPresence {\n    presence {\n      online\n      user {\n        id\n        username\n      }\n    }\n  }\n"): typeof import('./graphql.js').TestPresenceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TestOnlineUsers {\n    onlineUsers {\n      id\n      online\n    }\n  }\n"): typeof import('./graphql.js').TestOnlineUsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestPublish($channel: String!, $message: JSON!) {\n    publish(channel: $channel, message: $message)\n  }\n"): typeof import('./graphql.js').TestPublishDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TestChannel($name: String!) {\n    channel(name: $name) {\n      message\n    }\n  }\n"): typeof import('./graphql.js').TestChannelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TestChannelNamed($name: String!) {\n    channel(name: $name) {\n      channel\n      message\n    }\n  }\n"): typeof import('./graphql.js').TestChannelNamedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TestPattern($p: String!) {\n    channelPattern(pattern: $p) {\n      channel\n      message\n    }\n  }\n"): typeof import('./graphql.js').TestPatternDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestAddEvent($stream: String!, $data: JSON!) {\n    addEvent(stream: $stream, data: $data) {\n      id\n    }\n  }\n"): typeof import('./graphql.js').TestAddEventDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TestEvents($stream: String!, $after: String) {\n    events(stream: $stream, after: $after) {\n      id\n    }\n  }\n"): typeof import('./graphql.js').TestEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TestFollow($stream: String!, $after: String) {\n    events(stream: $stream, after: $after) {\n      id\n      data\n    }\n  }\n"): typeof import('./graphql.js').TestFollowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TestPendingEvents($stream: String!, $group: String!) {\n    pendingEvents(stream: $stream, group: $group) {\n      id\n      consumer\n      idleMs\n      deliveries\n    }\n  }\n"): typeof import('./graphql.js').TestPendingEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestCreateGroup($stream: String!, $group: String!, $startId: String) {\n    createConsumerGroup(stream: $stream, group: $group, startId: $startId)\n  }\n"): typeof import('./graphql.js').TestCreateGroupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TestGroupEvents($stream: String!, $group: String!, $consumer: String!) {\n    groupEvents(stream: $stream, group: $group, consumer: $consumer) {\n      id\n      data\n    }\n  }\n"): typeof import('./graphql.js').TestGroupEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestAckEvents($stream: String!, $group: String!, $ids: [ID!]!) {\n    ackEvents(stream: $stream, group: $group, ids: $ids)\n  }\n"): typeof import('./graphql.js').TestAckEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestEnqueue($q: String!, $p: JSON!, $priority: JobPriority) {\n    enqueue(queue: $q, payload: $p, priority: $priority) {\n      id\n      queue\n      payload\n      attempts\n    }\n  }\n"): typeof import('./graphql.js').TestEnqueueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestDequeue($q: String!, $t: Float) {\n    dequeue(queue: $q, timeoutSeconds: $t) {\n      id\n      queue\n      payload\n      attempts\n    }\n  }\n"): typeof import('./graphql.js').TestDequeueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestAckJob($q: String!, $id: ID!) {\n    ackJob(queue: $q, id: $id)\n  }\n"): typeof import('./graphql.js').TestAckJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TestJobs($q: String!) {\n    jobs(queue: $q) {\n      id\n      queue\n      payload\n      attempts\n    }\n  }\n"): typeof import('./graphql.js').TestJobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TestQueueStats($q: String!) {\n    queueStats(queue: $q) {\n      waiting\n      processing\n      dead\n    }\n  }\n"): typeof import('./graphql.js').TestQueueStatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TestDeadJobs($q: String!) {\n    deadJobs(queue: $q) {\n      id\n      queue\n      payload\n      attempts\n    }\n  }\n"): typeof import('./graphql.js').TestDeadJobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TestQueueLengthStats($q: String!) {\n    queueLength(queue: $q)\n    queueStats(queue: $q) {\n      waiting\n      processing\n      dead\n    }\n  }\n"): typeof import('./graphql.js').TestQueueLengthStatsDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
