// 简体中文：HTTP/2 阶梯图步骤的说明（每个帧在这条连接上的作用，以及 HTTP/2 相比 HTTP/1.1 的变化）。
// `{name}` 占位符与英文表一致，由 explain-http2.ts 填入。

import type { Http2TextKey } from './http2-en';

export const http2ZhCN: Readonly<Record<Http2TextKey, string>> = {
  'label.preface': '连接前言',
  'label.settings': 'SETTINGS',
  'label.settingsAck': 'SETTINGS ACK',
  'label.ping': 'PING',
  'label.pingAck': 'PING ACK',
  'label.windowUpdate': 'WINDOW_UPDATE +{bytes}',
  'label.windowUpdateStream': 'WINDOW_UPDATE 流 {id} +{bytes}',
  'label.goaway': 'GOAWAY {error}（最后流 {last}）',
  'label.rst': 'RST_STREAM 流 {id}：{error}',
  'label.push': 'PUSH_PROMISE 流 {id} → {promised}：{method} {path}',
  'label.stream': '{types} 流 {id}：{detail}',
  'label.streamBare': '{types} 流 {id}',
  'label.end': '结束',
  'label.parts': 'DATA 流 {id} ×{n}（{bytes}）',
  'label.part': 'DATA 流 {id}（部分，{bytes}）',
  'label.unknown': '帧类型 {type}',

  'preface.preface':
    '客户端以连接前言（PRI * HTTP/2.0…）开启 HTTP/2：HTTP/1.1 服务器不会把这一行当作请求接受。从这里起，双方在这一条连接上交换 HTTP/2 帧。',
  'preface.how.tls': 'HTTP/2 是在 TLS 握手中选定的：客户端提供、服务器选择了 ALPN h2。',
  'preface.how.prior': '在明文 TCP 上，客户端事先知道服务器支持 HTTP/2（先验知识，RFC 9113 §3.3）。',
  'preface.how.upgrade': '服务器同意从 HTTP/1.1 切换（101 Switching Protocols，Upgrade: h2c）；对第一个请求的应答在流 1 上返回。',
  'settings.sent':
    '{side}发送它的 SETTINGS：{list}。双方各自声明自己接受的限制（并发流数、流量控制窗口、帧大小、头部表大小）；HTTP/1.1 没有这样的协商。',
  'settings.empty': '{side}发送空的 SETTINGS 帧：所有参数保持默认值（RFC 9113 §6.5.2）。',
  'settings.tableSize':
    'SETTINGS_HEADER_TABLE_SIZE {n}：{peer}为{side}保存的 HPACK 动态表最多 {n} 字节，因此它的下一个头部块以表大小更新开头。',
  'settings.ack': '{side}确认{peer}的 SETTINGS：从现在起按这些参数执行。',
  'request.headers': '客户端用 HEADERS 帧打开流 {id}：{method} {path}{authority}。',
  'request.hpack':
    'HTTP/2 把请求行变成伪头部字段（:method、:path、:scheme、:authority），头部块经 HPACK 压缩：线上 {wire}，对应 {plain} 的头部字段，因为先前发送过的字段按索引引用。',
  'request.noBody': '设置了 END_STREAM：请求没有请求体。',
  'request.body': '请求体随后在同一个流的 DATA 帧中发送。',
  'multiplex':
    '流 {ids} 在这一条连接上同时进行：HTTP/2 对请求进行多路复用，而 HTTP/1.1 要么为每个并发请求开一条连接，要么让请求排队等待。',
  'response.headers': '服务器用 HEADERS 帧应答流 {id}：{status} {reason}{type}。',
  'response.interim': '临时响应 {status}：最终响应稍后在同一个流上到达。',
  'response.wait': '距请求头部块 {wait}。',
  'data.body': '流 {id} 的{message}体的 {bytes}，以 DATA 帧发送{coding}。',
  'data.coding': '（{coding} 编码；解码后 {decoded}）',
  'data.end': 'END_STREAM：流 {id} 上的{message}已完整（{frames} 个 DATA 帧，共 {total}）。',
  'data.end.one': 'END_STREAM：流 {id} 上的{message}已完整（一个 DATA 帧，共 {total}）。',
  'data.flow':
    'DATA 按流和按连接进行流量控制：接收方的窗口限制在途数据量，WINDOW_UPDATE 帧再把窗口打开。HTTP/1.1 只能依靠 TCP 自身的流控。',
  'rst.sent':
    '{side}以 {error} 重置流 {id}：{meaning}只有这个流结束，连接和其他流继续。在 HTTP/1.1 中，中止一个请求的唯一办法是关闭连接。',
  'goaway.sent':
    '{side}发送 GOAWAY（{error}）：它不会在这条连接上再开始新的流。编号不超过 {last} 的流可能已被处理；编号更大的流没有被处理，可以在新连接上重试。',
  'goaway.client': '客户端发送 GOAWAY（{error}）：它正在关闭这条 HTTP/2 连接，不再接受服务器发起的流。',
  'goaway.graceful': 'NO_ERROR：这是正常关闭，而不是故障。',
  'goaway.debug': '调试数据：“{debug}”。',
  'windowUpdate': '{side}{scope}再授予 {bytes} 的流量控制窗口：{peer}在再次等待之前可以多发送这么多 DATA（RFC 9113 §6.9）。',
  'windowUpdate.connection': '在整条连接上',
  'windowUpdate.stream': '在流 {id} 上',
  'ping': '{side}发送 PING：{peer}必须原样返回这 8 个字节，用来测量往返时间并保持连接活跃。',
  'ping.ack': '{side}回应 PING：距发送 {rtt}。',
  'push': '服务器预告流 {promised}：它会在客户端请求之前推送 {method} {path}（服务器推送，RFC 9113 §8.4）。',
  'continuation': '头部块在 CONTINUATION 帧中继续：在它们之间这条连接上不能出现其他帧。',
  'undecodable':
    '这个头部块无法完整解码：{reason}。HPACK 是有状态的——双方各自维护一张早先头部字段的动态表——所以从连接中途开始的抓包会缺少后续头部块引用的表项。',
  'part': '流 {id} 的一个 {type} 帧的 {bytes}，该帧在后面的分组中才完整。',
  'parts': '{n} 个分组承载流 {id} 的 DATA 帧共 {bytes}：一个消息体被分成不超过 SETTINGS_MAX_FRAME_SIZE 的片段发送。',
  'hidden': '紧随此步骤的 {n} 个 WINDOW_UPDATE 和 PING 帧已隐藏（勾选“显示控制帧”即可查看）。',
  'fact.http2': 'HTTP/2',
  'fact.http2.value': '{streams}，{requests}{resets}',
  'unit.stream': '1 个流',
  'unit.streams': '{n} 个流',
  'unit.request': '1 个请求',
  'unit.requests': '{n} 个请求',
  'unit.resets': '，{n} 个被重置',

  'meaning.NO_ERROR': '这个流正常结束，没有问题。',
  'meaning.PROTOCOL_ERROR': '发送方在这个流上看到了违反 HTTP/2 规则的帧。',
  'meaning.INTERNAL_ERROR': '发送方自身出现了意外错误。',
  'meaning.FLOW_CONTROL_ERROR': '对端发送的 DATA 超出了流量控制窗口。',
  'meaning.SETTINGS_TIMEOUT': 'SETTINGS 没有被及时确认。',
  'meaning.STREAM_CLOSED': '有帧到达了一个已经半关闭的流。',
  'meaning.FRAME_SIZE_ERROR': '某个帧的长度不被这个流允许。',
  'meaning.REFUSED_STREAM': '服务器完全没有处理这个请求，因此客户端可以安全地重试。',
  'meaning.CANCEL': '这个流已不再需要（用户离开了页面，或客户端取消了请求）。',
  'meaning.COMPRESSION_ERROR': 'HPACK 状态无法保持同步。',
  'meaning.CONNECT_ERROR': 'CONNECT 请求打开的隧道被重置或异常关闭。',
  'meaning.ENHANCE_YOUR_CALM': '对端发送得太多、太快（限流）。',
  'meaning.INADEQUATE_SECURITY': 'TLS 参数达不到 HTTP/2 的最低要求。',
  'meaning.HTTP_1_1_REQUIRED': '服务器要求这个请求改用 HTTP/1.1。',
  'meaning.unknown': '这个错误码不是 RFC 9113 定义的。',
};
