"""Strings of the reply quality review: each reason as a sentence the clerk can forward to
the unit (with the reason's parameters), and the labels of the rubric checklist."""

ZH = {
    "review.reason.boilerplate": "回复只有“{phrases}”等套话，没有写明何时、由谁、做了什么、结果如何，请补充具体办理情况。",
    "review.reason.too_short": "回复只有{chars}个字（不足{min}字），看不出办理过程和结果，请写明联系来电人情况、核查情况、采取的措施和办理结果。",
    "review.reason.no_contact": "回复没有说明何时、以何种方式、由谁联系过来电人，请补充与来电人的沟通情况及其意见。",
    "review.reason.no_action": "回复没有写明采取了哪些具体措施（时间、地点、数量）及办理结果，请补充。",
    "review.reason.bare_denial": "回复称“{phrase}”，但没有说明何时、由谁、如何核查以及查到的具体情况，请补充核查过程和依据。",
    "review.reason.disclaimer_no_redirect": "回复称“{phrase}”，但没有写明应由哪个单位负责及其联系电话；按首接负责制，请写明责任单位、已如何转办并告知来电人。",
    "review.reason.stalling": "回复称“{phrase}”，但没有给出明确时限，请写明目前进展、下一步措施和具体完成日期。",
    "review.reason.copy_paste": "回复与工单{other_order}的回复基本相同（相似度{similarity}%），请针对本工单写明实际办理情况。",
    "review.reason.off_topic": "回复内容与诉求“{topic}”对不上，请针对来电人反映的问题答复。",
    "review.rubric.contacted": "联系来电人（时间、方式、联系人）",
    "review.rubric.concrete_action": "具体措施（时间、地点、数量）",
    "review.rubric.result_stated": "办理结果或来电人意见",
    "review.rubric.on_topic": "针对所诉问题",
    "review.rubric.basis_or_redirect": "政策依据或转办去向",
    "review.rubric.named_handler": "经办人及联系电话",
}

EN = {
    "review.reason.boilerplate": "The reply holds only stock phrases (\u201c{phrases}\u201d) and does not say when, by whom, what was done or with what result; please add the concrete handling.",
    "review.reason.too_short": "The reply has only {chars} characters (fewer than {min}); it shows neither handling nor result. Please state the contact with the caller, what was found, what was done and the result.",
    "review.reason.no_contact": "The reply does not say when, how or by whom the caller was contacted; please add the contact and the caller's response.",
    "review.reason.no_action": "The reply does not say what concrete steps were taken (dates, places, figures) or what the result was; please add them.",
    "review.reason.bare_denial": "The reply says \u201c{phrase}\u201d but not when, by whom or how this was checked, nor what was found; please add the check and its basis.",
    "review.reason.disclaimer_no_redirect": "The reply says \u201c{phrase}\u201d without naming the responsible unit and its phone; under first-contact responsibility, name the unit, say how the matter was passed on and that the caller was told.",
    "review.reason.stalling": "The reply says \u201c{phrase}\u201d without a deadline; please state the progress, the next step and a completion date.",
    "review.reason.copy_paste": "The reply is nearly the same as the reply to order {other_order} ({similarity}% alike); please describe what was actually done on this order.",
    "review.reason.off_topic": "The reply does not match the request \u201c{topic}\u201d; please answer what the caller raised.",
    "review.rubric.contacted": "Caller contacted (when, how, by whom)",
    "review.rubric.concrete_action": "Concrete steps (dates, places, figures)",
    "review.rubric.result_stated": "Result or the caller's response",
    "review.rubric.on_topic": "About what was asked",
    "review.rubric.basis_or_redirect": "Policy basis or where it was passed on",
    "review.rubric.named_handler": "Handler and phone",
}
